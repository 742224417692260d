"""What generated contracts are made of: kinds, their weights, scopes and periods, and the words of
their labels.

The weights follow the orders of magnitude the source documents give for France (document 001's
identity sheets: more than 480 contrats de ruralité since 2016, 222 Action Cœur de ville
conventions in 2018, 435 contrats de ville, 322 « contrats de Cahors », one CPER per région and
period…), not exact counts.  Every concept named here exists in ontology/vocabularies.ttl.
"""

from __future__ import annotations

from dataclasses import dataclass

# Where a kind's contracts are scoped (see gen_documents.Builder.scope).
COMMUNE, BIG_COMMUNE, EPCI, BIG_EPCI, DEPARTEMENT, REGION, PERIMETER, CITY = (
    "commune", "big-commune", "epci", "big-epci", "departement", "region", "perimeter", "city")


@dataclass(frozen=True)
class Kind:
    notation: str  # voc:contract-kind/{notation}
    label: str  # start of a contract's name
    weight: float  # relative frequency among generated contracts
    scope: str
    themes: tuple[str, ...]
    starts: tuple[int, int]  # first and last possible start year of a first-generation contract
    years: tuple[int, int]  # shortest and longest duration, in years
    state_signs: bool = True  # contrats de territoire and metropolitan partnerships are between authorities


URBAN = ("politique-de-la-ville", "cohesion-sociale", "emploi", "insertion", "education", "sante", "logement",
         "cadre-de-vie", "securite", "citoyennete", "jeunesse", "acces-aux-droits")
RURAL = ("ruralite", "services-publics", "mobilite", "sante", "commerce-artisanat", "tourisme", "numerique",
         "amenagement", "agriculture-alimentation")
TOWN = ("commerce-artisanat", "logement", "mobilite", "patrimoine", "amenagement", "services-publics", "cadre-de-vie")
GREEN = ("transition-ecologique", "energie", "environnement", "mobilite", "agriculture-alimentation")
ECONOMY = ("developpement-economique", "industrie", "emploi", "formation", "enseignement-superieur-recherche",
           "numerique")
PLAN = ("mobilite", "enseignement-superieur-recherche", "transition-ecologique", "numerique", "emploi", "culture",
        "amenagement", "developpement-economique")
ANY = URBAN + RURAL + GREEN + ECONOMY + ("culture", "sport", "tourisme")

KINDS = (
    Kind("contrat-de-ville", "Contrat de ville", 20, CITY,
         URBAN, (2014, 2015), (6, 6)),
    Kind("contrat-de-ruralite", "Contrat de ruralité", 18, EPCI,
         RURAL, (2016, 2017), (3, 4)),
    Kind("action-coeur-de-ville", "Convention Action Cœur de ville", 10, BIG_COMMUNE,
         TOWN, (2018, 2019), (5, 5)),
    Kind("territoires-industrie", "Contrat Territoires d'industrie", 6, PERIMETER,
         ECONOMY, (2019, 2020), (3, 4)),
    Kind("projet-alimentaire-territorial", "Projet alimentaire territorial", 6, EPCI,
         GREEN, (2017, 2022), (3, 5)),
    Kind("contrat-territorial", "Contrat de territoire", 6, EPCI,
         ANY, (2015, 2022), (3, 6), state_signs=False),
    Kind("cte", "Contrat de transition écologique", 5, EPCI,
         GREEN, (2018, 2020), (4, 4)),
    Kind("contrat-cahors", "Contrat de maîtrise de la dépense locale", 5, BIG_EPCI,
         ("finances-publiques",), (2018, 2018), (3, 3)),
    Kind("clea", "Contrat local d'éducation artistique et culturelle", 4, COMMUNE,
         ("culture", "education", "jeunesse"), (2014, 2023), (3, 3)),
    Kind("participation-citoyenne", "Protocole de participation citoyenne", 4, COMMUNE,
         ("securite", "citoyennete"), (2014, 2024), (3, 3)),
    Kind("convention-pauvrete", "Convention d'appui à la lutte contre la pauvreté", 3, DEPARTEMENT,
         ("pauvrete", "insertion", "enfance-famille", "jeunesse"), (2019, 2019), (4, 4)),
    Kind("convention", "Convention de partenariat", 3, EPCI,
         ANY, (2014, 2024), (1, 4)),
    Kind("accord-relance", "Accord de relance", 2, DEPARTEMENT,
         ECONOMY + GREEN, (2021, 2021), (2, 2)),
    Kind("centres-bourgs", "Contrat de revitalisation du centre-bourg", 2, COMMUNE,
         TOWN, (2015, 2016), (6, 6)),
    Kind("ctes", "Contrat de transition écologique et solidaire", 1, EPCI,
         GREEN + ("cohesion-sociale",), (2019, 2020), (4, 4)),
    Kind("crsd", "Contrat de redynamisation de site de défense", 1, EPCI,
         ECONOMY, (2014, 2019), (3, 5)),
    Kind("contrat-destination", "Contrat de destination", 1, PERIMETER,
         ("tourisme", "patrimoine", "culture"), (2015, 2021), (3, 3)),
    Kind("charte", "Charte de partenariat", 1, DEPARTEMENT,
         ANY, (2014, 2024), (3, 6)),
    Kind("cper", "Contrat de plan État-Région", 1, REGION,
         PLAN, (2015, 2015), (6, 6)),
    Kind("pacte-territorial", "Pacte pour la réussite du territoire", 0.5, PERIMETER,
         ECONOMY + URBAN, (2017, 2021), (4, 6)),
    Kind("contrat-developpement-territorial", "Contrat de développement territorial", 0.5, PERIMETER,
         ECONOMY + RURAL, (2016, 2020), (3, 5)),
    Kind("pacte-metropolitain", "Pacte métropolitain d'innovation", 0.5, BIG_EPCI,
         ECONOMY + GREEN, (2016, 2017), (4, 4)),
    Kind("contrat-partenariat-metropolitain", "Contrat de partenariat métropolitain", 0.5, BIG_EPCI,
         PLAN, (2017, 2017), (4, 4), state_signs=False),
    Kind("accord-cadre", "Accord-cadre de partenariat renforcé", 0.5, REGION,
         PLAN, (2016, 2022), (3, 5)),
    Kind("cottri", "Contrat d'objectifs pour la troisième révolution industrielle", 0.5, EPCI,
         GREEN, (2015, 2019), (3, 3)),
    Kind("strategie-territoriale", "Stratégie pour l'avenir du territoire", 0.3, PERIMETER,
         ECONOMY + URBAN, (2019, 2022), (5, 8)),
)

# The protocols of enhanced commitments that amend contrats de ville (pg:EnhancedCommitmentProtocol).
PROTOCOL = "protocole-engagements-renforces"

FIRST_YEAR, LAST_YEAR = 2014, 2027  # every generated start, end and signature year lies within

# An axis's name per theme, and what its measures act on.
THEMES = {
    "politique-de-la-ville": ("Renouvellement urbain et quartiers prioritaires",
        ("le lien entre les quartiers et le centre-ville", "la gestion urbaine de proximité")),
    "cohesion-sociale": ("Cohésion sociale",
        ("les centres sociaux et les maisons de quartier", "les actions de médiation sociale")),
    "emploi": ("Emploi et développement économique",
        ("l'accompagnement renforcé des demandeurs d'emploi", "les clauses d'insertion dans les marchés publics")),
    "insertion": ("Insertion professionnelle",
        ("les chantiers d'insertion", "l'accompagnement des allocataires du RSA")),
    "formation": ("Formation et compétences",
        ("l'offre de formation qualifiante", "l'apprentissage dans les entreprises du territoire")),
    "education": ("Réussite éducative",
        ("le programme de réussite éducative", "la prévention du décrochage scolaire")),
    "sante": ("Santé et accès aux soins",
        ("l'installation de professionnels de santé", "les actions de prévention et de promotion de la santé")),
    "logement": ("Habitat et logement",
        ("la rénovation du parc social", "la lutte contre l'habitat indigne")),
    "cadre-de-vie": ("Cadre de vie",
        ("la requalification des espaces publics", "l'aménagement des abords des équipements")),
    "mobilite": ("Mobilités",
        ("les modes de déplacement doux", "le transport à la demande")),
    "transition-ecologique": ("Transition écologique",
        ("la sobriété foncière", "l'adaptation au changement climatique")),
    "energie": ("Énergie",
        ("la rénovation énergétique des bâtiments publics", "la production d'énergies renouvelables")),
    "environnement": ("Environnement et biodiversité",
        ("la préservation des zones humides", "la trame verte et bleue")),
    "jeunesse": ("Jeunesse",
        ("l'accueil des jeunes dans les structures de proximité", "l'engagement des jeunes dans la vie locale")),
    "enfance-famille": ("Enfance et familles",
        ("les modes de garde de la petite enfance", "le soutien à la parentalité")),
    "culture": ("Culture",
        ("l'éducation artistique et culturelle", "la lecture publique")),
    "patrimoine": ("Patrimoine",
        ("la restauration du patrimoine bâti", "la valorisation du patrimoine industriel")),
    "tourisme": ("Tourisme",
        ("l'offre d'hébergement touristique", "les itinéraires de randonnée")),
    "sport": ("Sport",
        ("les équipements sportifs de proximité", "la pratique sportive des femmes")),
    "securite": ("Sécurité et prévention de la délinquance",
        ("la prévention des conduites à risque", "la tranquillité publique")),
    "citoyennete": ("Citoyenneté",
        ("les conseils citoyens", "la participation des habitants")),
    "acces-aux-droits": ("Accès aux droits",
        ("les permanences d'accès aux droits", "l'accompagnement aux démarches dématérialisées")),
    "services-publics": ("Services au public",
        ("les maisons France services", "l'accueil de proximité des services publics")),
    "numerique": ("Numérique",
        ("la couverture en très haut débit", "l'inclusion numérique")),
    "developpement-economique": ("Développement économique",
        ("l'accueil de nouvelles entreprises", "l'immobilier d'entreprise")),
    "industrie": ("Industrie",
        ("la reconquête des friches industrielles", "la modernisation des PME industrielles")),
    "commerce-artisanat": ("Commerce et artisanat",
        ("la reconquête des locaux commerciaux vacants", "les marchés de plein vent")),
    "agriculture-alimentation": ("Agriculture et alimentation",
        ("l'approvisionnement local de la restauration collective", "l'installation de jeunes agriculteurs")),
    "enseignement-superieur-recherche": ("Enseignement supérieur et recherche",
        ("les campus universitaires", "les plateformes de recherche partenariale")),
    "amenagement": ("Aménagement du territoire",
        ("la revitalisation des centres-bourgs", "l'ingénierie de projet")),
    "ruralite": ("Attractivité des territoires ruraux",
        ("le maintien des services en milieu rural", "l'attractivité des bourgs-centres")),
    "pauvrete": ("Lutte contre la pauvreté",
        ("la prévention des sorties sèches de l'aide sociale à l'enfance",
         "le premier accueil social inconditionnel")),
    "finances-publiques": ("Maîtrise des dépenses publiques",
        ("l'évolution des dépenses réelles de fonctionnement", "le besoin de financement")),
}

VERBS = ("Développer", "Renforcer", "Soutenir", "Accompagner", "Poursuivre", "Structurer", "Expérimenter",
         "Améliorer", "Favoriser", "Pérenniser")

# Names of generated priority neighbourhoods (QPV): the real ones are named after streets, estates and
# districts like these.
QPV_FIRST = ("Quartier", "Cité", "Résidence", "Les Hauts de", "Le Faubourg de", "Le Plateau de", "Centre ancien de")
QPV_SECOND = ("la Gare", "l'Europe", "la Briqueterie", "la Fontaine", "Saint-Jean", "les Tilleuls", "la Croix",
              "Bellevue", "la Vallée", "Moulin", "la Mairie", "Beauregard", "les Acacias", "la Citadelle")

INSTRUMENTS = ("FNADT", "DSIL", "DETR", "FEDER", "FSE", "FISAC", "Fonds vert", "crédits de droit commun",
               "Programme d'investissements d'avenir", "Banque des Territoires")

# Figures a document states about its contract: (quantity notation, smallest and largest value, label).
FIGURES = (
    ("inhabitants", 500, 500_000, "habitants concernés"),
    ("communes", 1, 120, "communes couvertes"),
    ("housing-units", 20, 5_000, "logements"),
    ("jobs", 10, 3_000, "emplois"),
    ("beneficiaries", 50, 20_000, "bénéficiaires"),
    ("projects", 3, 200, "projets"),
    ("actions", 5, 150, "actions"),
)
