"""The small embedded lists the generator draws its fiction from.

The demo centre's lists (people, reasons, goals, workshops, partners) are reused as they
are, from the demo modules; what is here widens them so that a federation of a hundred
thousand people does not hold only a few hundred distinct names, and gives each centre
its own town, neighbourhoods and streets. Every name is common and invented together
with the rest: no real person, no real file.
"""

from parcours.people import demo as people_demo

# Towns of Moselle and the rest of Lorraine (all in school zone B), with postcode and
# département: Moselle's two extra public holidays apply to the first ones only.
TOWNS = [
    ("Thionville", "57100", "57"),
    ("Metz", "57000", "57"),
    ("Forbach", "57600", "57"),
    ("Sarreguemines", "57200", "57"),
    ("Hayange", "57700", "57"),
    ("Yutz", "57970", "57"),
    ("Florange", "57190", "57"),
    ("Creutzwald", "57150", "57"),
    ("Saint-Avold", "57500", "57"),
    ("Sarrebourg", "57400", "57"),
    ("Fameck", "57290", "57"),
    ("Woippy", "57140", "57"),
    ("Montigny-lès-Metz", "57950", "57"),
    ("Behren-lès-Forbach", "57460", "57"),
    ("Freyming-Merlebach", "57800", "57"),
    ("Stiring-Wendel", "57350", "57"),
    ("Hagondange", "57300", "57"),
    ("Amnéville", "57360", "57"),
    ("Nancy", "54000", "54"),
    ("Longwy", "54400", "54"),
    ("Lunéville", "54300", "54"),
    ("Épinal", "88000", "88"),
    ("Saint-Dié-des-Vosges", "88100", "88"),
    ("Bar-le-Duc", "55000", "55"),
    ("Verdun", "55100", "55"),
]
# Share of centres in Moselle, like the demo's federation.
MOSELLE_WEIGHT = 4

CENTRE_NAMES = [
    "Le Lierre",
    "Les Acacias",
    "Les Tilleuls",
    "La Passerelle",
    "L'Escale",
    "Le Trait d'Union",
    "Les Coquelicots",
    "La Clairière",
    "Le Carrefour",
    "La Source",
    "Les Glycines",
    "L'Arc-en-ciel",
    "Le Phare",
    "La Ruche",
    "Les Marronniers",
    "Le Jardin",
    "Les Peupliers",
    "La Roseraie",
    "Le Moulin",
    "Les Hirondelles",
]

# Neighbourhood names a centre draws five from; the first drawn is the priority
# neighbourhood (QPV) most people come from, as the Quartier-Est in the demo.
NEIGHBOURHOODS = [
    "Quartier-Est",
    "Côte des Roses",
    "Bellevue",
    "Le Plateau",
    "Les Provinces",
    "Saint-Pierre",
    "Centre-ville",
    "La Cité",
    "Le Bas-Chemin",
    "Les Hauts-de-Blémont",
    "Beauregard",
    "Le Val",
    "La Petite-Saulcy",
    "Les Vergers",
    "Le Wiesberg",
    "La Chênaie",
]
# The first neighbourhood is a QPV; a second one is one in half the centres.
NEIGHBOURHOOD_WEIGHTS = people_demo.NEIGHBOURHOOD_WEIGHTS

STREET_KINDS = ["rue", "rue", "avenue", "allée", "place", "impasse", "boulevard"]
STREET_NAMES = [
    "des Roses",
    "de la Paix",
    "des Tilleuls",
    "Victor-Hugo",
    "Jean-Jaurès",
    "de la Gare",
    "des Vergers",
    "du Marché",
    "Pasteur",
    "des Écoles",
    "de Verdun",
    "du Moulin",
    "des Lilas",
    "Saint-Exupéry",
    "des Jardins",
    "Charlemagne",
    "de Lorraine",
    "des Mésanges",
    "Émile-Zola",
    "du Stade",
    "des Peupliers",
    "de la Fontaine",
    "Mozart",
    "des Acacias",
]

FEMALE_NAMES = people_demo.FEMALE_NAMES + [
    "Sarah",
    "Christelle",
    "Hayat",
    "Isabelle",
    "Leïla",
    "Stéphanie",
    "Khadija",
    "Virginie",
    "Naïma",
    "Sylvie",
    "Dounia",
    "Corinne",
    "Esra",
    "Martine",
    "Inès",
    "Audrey",
    "Fatoumata",
    "Patricia",
    "Meryem",
    "Caroline",
    "Amina",
    "Jennifer",
    "Souad",
    "Maria",
    "Kelly",
    "Hülya",
    "Christine",
    "Latifa",
    "Vanessa",
    "Nora",
]
MALE_NAMES = people_demo.MALE_NAMES + [
    "Abdel",
    "Frédéric",
    "Hakim",
    "Olivier",
    "Youssef",
    "Stéphane",
    "Ali",
    "Laurent",
    "Kamel",
    "Nicolas",
    "Murat",
    "Patrick",
    "Samir",
    "Jérôme",
    "Moussa",
    "Grégory",
    "Hassan",
    "Cédric",
    "Antonio",
    "Didier",
    "Yannick",
    "Brahim",
    "Éric",
    "Kevin",
]
LAST_NAMES = people_demo.LAST_NAMES + [
    "Bertrand",
    "Ziegler",
    "Aït-Ahmed",
    "Rossi",
    "Schneider",
    "Boumediene",
    "Dupont",
    "Öztürk",
    "Meyer",
    "Hamidi",
    "Pereira",
    "Girard",
    "Kowalski",
    "Belkacem",
    "Fischer",
    "Moreau",
    "Arslan",
    "Colin",
    "Zimmermann",
    "Brahimi",
    "Santos",
    "Roux",
    "Kieffer",
    "Djebbar",
    "Vincent",
    "Koch",
    "Bouchard",
    "Toumi",
    "Gomes",
    "Laurent",
    "Schaeffer",
    "Benhamou",
    "Michel",
    "Çelik",
    "Diallo",
    "Richard",
    "Stein",
    "Larbi",
    "Marques",
    "Henry",
    "Weiss",
    "Kaci",
    "Leroy",
    "Engel",
    "Aydin",
    "Simon",
    "Traoré",
    "François",
    "Keller",
    "Mebarki",
]

FOLLOW_UP_NOTES = [
    "Point sur les ateliers : vient régulièrement, se sent mieux dans le groupe.",
    "Démarches CAF en cours ; accompagnée pour le dossier.",
    "Parle d'un projet de formation d'aide à domicile.",
    "Difficultés de garde d'enfants ; solution trouvée avec la halte-garderie.",
    "Moral en baisse ; on convient d'un rendez-vous plus rapproché.",
    "A participé à la sortie culturelle, en parle avec plaisir.",
]
CANCEL_REASONS = [
    "Animatrice absente",
    "Salle indisponible",
    "Intempéries",
    "Intervenant empêché",
]
RELAY_REASONS = [
    "Suivi psychologique à mettre en place.",
    "Accompagnement vers l'emploi : inscription et premier rendez-vous.",
    "Démarches de logement : demande de logement social.",
    "Aide alimentaire ponctuelle.",
    "Conseil juridique après la séparation.",
    "Accompagnement en addictologie, à la demande de la personne.",
]
RELAY_SHARED = "Coordonnées, motif du relais et disponibilités, avec l'accord de la personne."
CONTRACT_GOALS = (
    "Rompre l'isolement ; participer à deux ateliers par semaine ; "
    "préparer un projet professionnel."
)
REVIEW_DECISIONS = [
    "Maintenir l'accompagnement ; point dans trois mois.",
    "Orienter vers le CMP ; l'assistante sociale prend contact.",
    "Proposer un stage d'observation avec l'association intermédiaire.",
    "Renforcer le lien avec le référent RSA ; rendez-vous commun.",
]
JOB_TITLES = [
    "assistante sociale de secteur",
    "conseillère en économie sociale et familiale",
    "éducateur spécialisé",
    "conseiller à l'emploi",
    "infirmière",
    "chargée d'accueil",
]
