import streamlit as st

from observatory.figures import barriers, bassin_tensions, jobs, outlook, tensions, training_needs, training_sites
from observatory.vocabulary import wording
from observatory.vocabulary.indicators import ACCESS_INDICATOR, CANTON_PRESSURES
from observatory.secrecy import DEFAULT_THRESHOLD
from observatory.ui import data, sidebar, widgets
from observatory.ui.keys import Keys

sidebar.current_filters()  # the shared sidebar, also when the page runs on its own
st.title("Méthodologie")
st.markdown("Chaque indicateur ci-dessous a une seule définition : la carte, les graphiques, les tableaux, "
            "les fichiers exportés et les diapositives utilisent tous celle-ci. Les taux sont des rapports de sommes : "
            "pour plusieurs métiers ou tout le département, on additionne d'abord, puis on divise.")
methodology, methodology_cards = data.methodology_table()
widgets.table_or_cards(methodology, key=Keys.methodology, cards=methodology_cards)

st.subheader("Accès à la formation, logement et contraintes des cantons")
st.markdown(
    f"- **{ACCESS_INDICATOR.label}** ({ACCESS_INDICATOR.technical_name}) : {ACCESS_INDICATOR.definition} "
    "Distances calculées en Lambert-93 (EPSG:2154) entre le point de chaque commune et chaque lieu de formation connu "
    "(Parcoursup, LHEO, modèle partenaires ; de démonstration seulement pour un métier sans liste réelle) ; le temps indiqué est une estimation grossière (1,3 × la distance à "
    "60 km/h). Source : " + ACCESS_INDICATOR.source + ".\n"
    + "\n".join(f"- **{label}** ({unit}) : chiffre transmis par un partenaire avec sa source ; absent sinon, jamais estimé."
                for label, unit in CANTON_PRESSURES.values()))
st.markdown(
    "- **Logements sociaux pour 1 000 habitants** : logements du parc locatif social au 1er janvier (loués, vacants, "
    "vides ou occupés autrement) des communes du canton, divisés par leur population municipale INSEE la plus récente, "
    "× 1 000. Grain : commune, additionnée par canton ; une commune absente du répertoire n'a pas de logement social. "
    f"Source : {barriers.HOUSING_SOURCE}, donnée réelle. Le parc et la population ne sont pas de la même année.\n"
    "- **Taux de vacance du parc social** : logements vacants ÷ logements sociaux × 100, sur les seules communes dont "
    "la source publie le détail ; le nombre de vacants du canton est alors un minimum (« au moins »). "
    f"Source : {barriers.HOUSING_SOURCE}.\n"
    "- **Devenir des apprentis (InserJeunes)** : par CFA, pour les apprentis de dernière année d'une formation du CAP "
    "au BTS, deux années cumulées : part de ceux qui poursuivent leurs études, et part des sortants en emploi salarié "
    "en France 6, 12 ou 24 mois après ; non calculé sous 20 jeunes. Grain : le CFA entier, tous métiers confondus "
    "(pas seulement les nôtres ; les diplômes de niveau 6, comme celui d'éducateur spécialisé, n'y sont pas) ; taux jamais "
    f"additionnés ni moyennés. Source : {barriers.OUTCOMES_SOURCE}, donnée réelle.")

st.markdown(training_sites.METHOD)
st.markdown(training_needs.METHOD)

st.subheader("Causes des tensions (DARES)")
st.markdown(
    "L'indicateur de tension de la DARES et de Pôle emploi (édition 2019, la dernière publiée par département) "
    "combine les difficultés de recrutement observées ; ses six composantes, classées de 1 (très faible) à 5 "
    "(très forte), disent d'où elles viennent : " + ", ".join(c.lower() for c in tensions.COMPONENTS.values()) + ". "
    "Il est publié par famille professionnelle de la nomenclature FAP 2009 : nos métiers y sont reliés par les "
    "métiers BMO qui les contiennent (par exemple, les aides à domicile et auxiliaires de vie : famille T2A60). "
    "Une composante n'est pas publiée quand la famille compte trop peu de personnes dans le territoire.")
st.markdown(bassin_tensions.METHOD)

st.markdown(
    "- **Emplois salariés du secteur** : effectifs salariés des établissements des codes APE 8610Z (hôpitaux), 87 "
    "(hébergement médico-social) et 88 (action sociale sans hébergement) des communes du canton, additionnés. "
    f"Source : {jobs.SOURCE} ; l'URSSAF ne compte que les employeurs privés (hôpitaux et EHPAD publics absents). "
    "Sans fichier de l'URSSAF importé, ces emplois sont des chiffres de démonstration, proportionnels aux "
    "populations réelles, et le disent.\n"
    "- **Offres (ou projets de recrutement) pour 100 emplois** : 100 × offres publiées (ou projets de recrutement "
    "BMO) des métiers choisis ÷ emplois salariés du secteur, même territoire ; les emplois sont ceux de la dernière "
    "année connue jusqu'à l'année choisie. C'est la composante « intensité d'embauches » de la DARES ramenée au "
    "canton ; le numérateur ne couvre que les métiers choisis, le dénominateur tout le secteur.")

st.subheader("Besoins à venir (projection)")
st.markdown("\n".join(f"- **{heading}** : {text}" for heading, text in outlook.METHOD)
            + "\n" + "\n".join(f"- **{p.label}** (par défaut {outlook.stated(p, p.default)}) : {p.source}"
                                 for p in outlook.PARAMETERS))

st.subheader("Secret statistique")
st.markdown(wording.secret_rule(DEFAULT_THRESHOLD))

st.subheader("Cantons, communes et bassins d'emploi")
st.markdown(
    "- **Cantons** : les 15 cantons des Landes (codes 4001 à 4015), contours IGN simplifiés sans trou ni "
    "chevauchement.\n"
    "- **Dax et Mont-de-Marsan** sont partagées chacune entre deux cantons (Dax-1 et Dax-2, Mont-de-Marsan-1 et "
    "Mont-de-Marsan-2). Comme l'INSEE (pseudo-cantons 4098 et 4099), l'observatoire les compte à part : elles ont "
    "leur propre contour sur la carte et leurs propres chiffres, et le total départemental les inclut.\n"
    "- **Communes** : chaque commune est rattachée au canton qui contient un point de son territoire "
    "(vérifié contre le Code officiel géographique de l'INSEE).\n"
    "- **Enquête BMO et métiers BMO** : l'enquête Besoins en main-d'œuvre de France Travail (2023 et 2025, "
    "chiffres réels) est publiée par bassin d'emploi et par métier BMO. Ses chiffres restent ceux du métier BMO "
    "(par exemple « Professionnels de l'action sociale ») : ils ne sont jamais partagés entre nos métiers, et "
    "choisir un métier sélectionne le métier BMO qui le contient. La BMO 2023 utilise l'ancienne nomenclature "
    "(FAP 2009) : pour certains métiers BMO la correspondance avec 2025 n'est qu'approchée (par exemple, les aides "
    "médico-psychologiques étaient comptées avec les aides-soignants en 2023). Il n'y a pas de BMO 2024 dans les "
    "données ouvertes : 2024 reste vide.\n"
    "- **Bassins d'emploi** : leurs limites ne suivent pas celles des cantons ; le chiffre d'un canton est une "
    "estimation (chiffre du bassin × part du canton dans la population des communes du bassin), le chiffre exact "
    "du bassin est sur la fiche canton. Une valeur masquée par la source (« * ») n'est jamais remplacée par zéro : "
    "un total qui en contient une est donné comme un minimum (« au moins … »).\n"
    "- **Offres non localisées** (import des offres France Travail) : les offres portant seulement le nom du département sont comptées à part, "
    "jamais ignorées."
)
st.subheader("Sources")
sources, sources_cards = data.sources_table(True)
widgets.table_or_cards(sources, key=Keys.sources, cards=sources_cards)
