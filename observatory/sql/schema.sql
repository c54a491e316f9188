-- Star schema at year x canton x profession grain. Every fact row points to its source.
CREATE TABLE source (
    source_id    INTEGER PRIMARY KEY,
    publisher    VARCHAR NOT NULL,
    title        VARCHAR NOT NULL,
    licence      VARCHAR NOT NULL,
    url          VARCHAR,
    retrieved_on DATE,
    file_hash    VARCHAR,
    is_demo      BOOLEAN NOT NULL,
    -- covers part of a year (a search snapshot): shown apart, never counted as a year's figures
    partial      BOOLEAN NOT NULL DEFAULT FALSE,
    coverage     VARCHAR
);

CREATE TABLE departement (
    code        VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    population  INTEGER NOT NULL CHECK (population >= 0),
    region_code VARCHAR NOT NULL,
    region_name VARCHAR NOT NULL,
    source_id   INTEGER NOT NULL REFERENCES source (source_id)
);

-- kind 'canton': an electoral canton; kind 'ville': a town split between cantons, which INSEE
-- gives a pseudo-canton code (4098 Dax, 4099 Mont-de-Marsan) and which we draw and count apart.
CREATE TABLE canton (
    code             VARCHAR PRIMARY KEY,
    departement_code VARCHAR NOT NULL REFERENCES departement (code),
    name             VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL CHECK (kind IN ('canton', 'ville')),
    parent_cantons   VARCHAR[] NOT NULL,
    population       INTEGER NOT NULL CHECK (population >= 0),
    geojson          VARCHAR,
    source_id        INTEGER NOT NULL REFERENCES source (source_id)
);

-- Coarser outlines for maps of a région or of France (national databases only); a département's
-- map uses canton.geojson.
CREATE TABLE canton_outline (
    code    VARCHAR NOT NULL REFERENCES canton (code),
    level   VARCHAR NOT NULL CHECK (level IN ('region', 'france')),
    geojson VARCHAR NOT NULL,
    PRIMARY KEY (code, level)
);

CREATE TABLE commune (
    code        VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    canton_code VARCHAR NOT NULL REFERENCES canton (code),
    population  INTEGER NOT NULL CHECK (population >= 0),
    lon         DOUBLE NOT NULL,
    lat         DOUBLE NOT NULL,
    postcodes   VARCHAR[] NOT NULL,
    source_id   INTEGER NOT NULL REFERENCES source (source_id)
);

CREATE TABLE councillor (
    canton_code VARCHAR NOT NULL REFERENCES canton (code),
    last_name   VARCHAR NOT NULL,
    first_name  VARCHAR NOT NULL,
    sex         VARCHAR NOT NULL,
    role        VARCHAR NOT NULL,
    term_start  DATE,
    source_id   INTEGER NOT NULL REFERENCES source (source_id)
);

CREATE TABLE profession (
    code       VARCHAR PRIMARY KEY,
    label      VARCHAR NOT NULL,
    family     VARCHAR NOT NULL,
    rome_codes VARCHAR[] NOT NULL,
    fap_codes  VARCHAR[] NOT NULL,
    diplomas   VARCHAR[] NOT NULL,
    -- 'profession': one of ours; 'bmo': a métier of the BMO survey (code BMO-<FAP 2021>), which
    -- holds the BMO figures of the professions it contains, never split between them
    kind          VARCHAR NOT NULL DEFAULT 'profession' CHECK (kind IN ('profession', 'bmo')),
    fap2009_codes VARCHAR[] NOT NULL DEFAULT [],  -- the FAP 2009 codes of BMO 2023 and DARES
    -- a métier BMO's correspondence with FAP 2009 (identique, approchée, sans équivalent) and why
    fap2009_relation VARCHAR,
    fap2009_note     VARCHAR
);

-- A place that trains for some of our professions. A real site beyond the base's territory (a
-- school of the neighbouring département) has no commune of the base: it counts in distances only.
-- A lycée whose number no directory places has no position: its figures count in its département's
-- totals only, never on a map nor in a canton.
CREATE TABLE provider (
    provider_id      INTEGER PRIMARY KEY,
    name             VARCHAR NOT NULL,
    commune_code     VARCHAR REFERENCES commune (code),
    lon              DOUBLE,
    lat              DOUBLE,
    website          VARCHAR,
    uai              VARCHAR,  -- the establishment's number in the national directory, when known
    departement_code VARCHAR,  -- where the place is, when outside the base's communes
    source_id        INTEGER NOT NULL REFERENCES source (source_id)
);

-- The diplomas that train for our professions (data/referential/diplomes.csv): one that leads to
-- several professions names them all, and its figures are never split between them.
CREATE TABLE diploma (
    code             VARCHAR PRIMARY KEY,
    label            VARCHAR NOT NULL,
    short_label      VARCHAR NOT NULL,  -- « BTS SP3S », for tables
    level            VARCHAR NOT NULL,
    parcoursup_label VARCHAR NOT NULL,
    professions      VARCHAR[] NOT NULL,
    note             VARCHAR NOT NULL
);

-- The lycée formations (MEF STAT 11 codes of the BCN) of our diplomas
-- (data/referential/mef_lycees.csv): the lycée files count pupils, places and wishes by MEF.
CREATE TABLE diploma_mef (
    mef          VARCHAR PRIMARY KEY,
    diploma_code VARCHAR NOT NULL REFERENCES diploma (code),
    bcn          VARCHAR NOT NULL,  -- the diploma's code in the BCN (« formation diplôme »)
    course_year  SMALLINT NOT NULL,  -- 1 for a seconde or a first year
    formation    VARCHAR NOT NULL   -- « option A à domicile, première »
);

-- The figures of one formation of a training site for one year, as its source publishes them: a
-- Parcoursup session (places, candidates, proposals, admitted), the lycées' wishes (places and first
-- wishes, `kind` 'affelnet'), the BTS places and confirmed wishes (`kind` 'bts', wishes counted as
-- candidates), the pupils at the start of the school year (`kind` 'constat'). A figure a source does
-- not give stays NULL.
CREATE TABLE site_intake (
    year         SMALLINT NOT NULL,
    provider_id  INTEGER NOT NULL REFERENCES provider (provider_id),
    diploma_code VARCHAR NOT NULL REFERENCES diploma (code),
    formation    VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL DEFAULT 'parcoursup' CHECK (kind IN ('parcoursup', 'affelnet', 'bts', 'constat')),
    course_year  SMALLINT NOT NULL DEFAULT 1,  -- 1: an entry (a seconde, a first year, a Parcoursup formation)
    pathway      VARCHAR CHECK (pathway IN ('scolaire', 'apprentissage')),  -- when the source says it
    places       INTEGER CHECK (places >= 0),
    candidates   INTEGER CHECK (candidates >= 0),
    proposals    INTEGER CHECK (proposals >= 0),
    admitted     INTEGER CHECK (admitted >= 0),
    first_wishes INTEGER CHECK (first_wishes >= 0),
    pupils       INTEGER CHECK (pupils >= 0),
    source_id    INTEGER NOT NULL REFERENCES source (source_id)
);

-- Where an establishment (UAI) is, as a directory gives it (the lycées' directory with its position,
-- ONISEP's places with their commune, Parcoursup's formations with theirs): read when the lycées'
-- files are imported, to place their figures; several rows of one UAI may come from several sources.
CREATE TABLE establishment (
    uai              VARCHAR NOT NULL,
    name             VARCHAR NOT NULL,
    departement_code VARCHAR NOT NULL,
    commune_code     VARCHAR,  -- a commune of the base, when the establishment is in its territory
    lon              DOUBLE,
    lat              DOUBLE,
    source_id        INTEGER NOT NULL REFERENCES source (source_id)
);

CREATE TABLE provider_profession (
    provider_id     INTEGER NOT NULL REFERENCES provider (provider_id),
    profession_code VARCHAR NOT NULL REFERENCES profession (code),
    PRIMARY KEY (provider_id, profession_code)
);

CREATE TABLE training (
    year            SMALLINT NOT NULL,
    canton_code     VARCHAR NOT NULL REFERENCES canton (code),
    profession_code VARCHAR NOT NULL REFERENCES profession (code),
    pathway         VARCHAR NOT NULL CHECK (pathway IN ('initiale', 'continue', 'apprentissage')),
    seats           INTEGER CHECK (seats >= 0),
    applicants      INTEGER CHECK (applicants >= 0),
    enrolled        INTEGER CHECK (enrolled >= 0),
    graduates       INTEGER CHECK (graduates >= 0),
    uai             VARCHAR,  -- a partner's row for one site (its establishment number): it replaces that site's open data
    source_id       INTEGER NOT NULL REFERENCES source (source_id)
);

CREATE TABLE apprentices (
    year            SMALLINT NOT NULL,
    canton_code     VARCHAR NOT NULL REFERENCES canton (code),
    profession_code VARCHAR NOT NULL REFERENCES profession (code),
    new_contracts   INTEGER CHECK (new_contracts >= 0),
    active          INTEGER CHECK (active >= 0),
    source_id       INTEGER NOT NULL REFERENCES source (source_id)
);

CREATE TABLE vacancies (
    year                 SMALLINT NOT NULL,
    canton_code          VARCHAR NOT NULL REFERENCES canton (code),
    profession_code      VARCHAR NOT NULL REFERENCES profession (code),
    offers_published     INTEGER CHECK (offers_published >= 0),
    offers_unfilled      INTEGER CHECK (offers_unfilled >= 0),
    -- BMO figures placed in cantons by population shares: decimals, rounded only for display
    recruitment_projects DOUBLE CHECK (recruitment_projects >= 0),
    difficult_projects   DOUBLE CHECK (difficult_projects >= 0),
    seasonal_projects    DOUBLE CHECK (seasonal_projects >= 0),
    -- projects of the bassin rows whose difficult count is published (base of the difficult share)
    difficult_base       DOUBLE CHECK (difficult_base >= 0),
    -- the publisher withheld the value (BMO's `*`): the count is unknown, never zero
    recruitment_projects_secret BOOLEAN NOT NULL DEFAULT FALSE,
    difficult_projects_secret   BOOLEAN NOT NULL DEFAULT FALSE,
    seasonal_projects_secret    BOOLEAN NOT NULL DEFAULT FALSE,
    source_id            INTEGER NOT NULL REFERENCES source (source_id),
    CHECK (offers_unfilled <= offers_published),
    CHECK (difficult_projects <= recruitment_projects)
);

CREATE TABLE internships (
    year               SMALLINT NOT NULL,
    canton_code        VARCHAR NOT NULL REFERENCES canton (code),
    profession_code    VARCHAR NOT NULL REFERENCES profession (code),
    placements_offered INTEGER CHECK (placements_offered >= 0),
    placements_sought  INTEGER CHECK (placements_sought >= 0),
    source_id          INTEGER NOT NULL REFERENCES source (source_id)
);

-- Individual job offers (France Travail, or the demo's); `vacancies` counts them after
-- de-duplication by id. canton_code NULL: the offer names only the département (« non localisée »).
-- unfilled_after_3_months NULL: unknown (a France Travail search snapshot cannot tell).
CREATE TABLE job_offer (
    offer_id        VARCHAR NOT NULL,
    year            SMALLINT NOT NULL,
    created_on      DATE NOT NULL,
    canton_code     VARCHAR REFERENCES canton (code),
    commune_code    VARCHAR,
    profession_code VARCHAR NOT NULL REFERENCES profession (code),
    unfilled_after_3_months BOOLEAN,
    source_id       INTEGER NOT NULL REFERENCES source (source_id)
);

CREATE TABLE commune_bassin (
    commune_code VARCHAR PRIMARY KEY REFERENCES commune (code),
    bassin_code  VARCHAR NOT NULL,
    bassin_name  VARCHAR NOT NULL,
    source_id    INTEGER NOT NULL REFERENCES source (source_id)
);

-- BMO figures exactly as published, by bassin d'emploi (the département's rows of a bassin that
-- straddles départements); NULL with its flag: withheld by the publisher (`*`).
CREATE TABLE bmo_bassin (
    year             SMALLINT NOT NULL,
    departement_code VARCHAR NOT NULL,
    bassin_code      VARCHAR NOT NULL,
    bassin_name      VARCHAR NOT NULL,
    bmo_code         VARCHAR NOT NULL REFERENCES profession (code),
    file_code        VARCHAR NOT NULL,  -- the métier's code in the file (FAP 2009 in BMO 2023)
    recruitment_projects INTEGER, difficult_projects INTEGER, seasonal_projects INTEGER,
    recruitment_projects_secret BOOLEAN NOT NULL,
    difficult_projects_secret   BOOLEAN NOT NULL,
    seasonal_projects_secret    BOOLEAN NOT NULL,
    source_id        INTEGER NOT NULL REFERENCES source (source_id)
);

-- INSEE municipal populations, one row per commune and year.
CREATE TABLE commune_population (
    year         SMALLINT NOT NULL,
    commune_code VARCHAR NOT NULL REFERENCES commune (code),
    population   INTEGER NOT NULL CHECK (population >= 0),
    source_id    INTEGER NOT NULL REFERENCES source (source_id)
);

-- INSEE population estimates on 1 January by département and age group ('0-19' … '75+', 'total').
CREATE TABLE departement_population (
    year             SMALLINT NOT NULL,
    departement_code VARCHAR NOT NULL REFERENCES departement (code),
    age_group        VARCHAR NOT NULL,
    population       INTEGER NOT NULL CHECK (population >= 0),
    source_id        INTEGER NOT NULL REFERENCES source (source_id)
);

CREATE TABLE training_session (
    provider_id     INTEGER NOT NULL REFERENCES provider (provider_id),
    profession_code VARCHAR NOT NULL REFERENCES profession (code),
    title           VARCHAR,
    start_on        DATE,
    end_on          DATE,
    places          INTEGER CHECK (places >= 0),
    source_id       INTEGER NOT NULL REFERENCES source (source_id)
);

CREATE TABLE formation_catalog (
    profession_code VARCHAR NOT NULL REFERENCES profession (code),
    label           VARCHAR NOT NULL,
    kind            VARCHAR,
    rncp            VARCHAR,
    level           VARCHAR,
    duration        VARCHAR,
    url             VARCHAR,
    source_id       INTEGER NOT NULL REFERENCES source (source_id)
);

-- Département-wide figures that have no canton or profession (e.g. all apprenticeship contracts).
CREATE TABLE departement_context (
    departement_code VARCHAR NOT NULL REFERENCES departement (code),
    year       SMALLINT NOT NULL,
    indicator  VARCHAR NOT NULL,
    value      DOUBLE NOT NULL,
    period_end DATE,
    partial    BOOLEAN NOT NULL,
    source_id  INTEGER NOT NULL REFERENCES source (source_id)
);

-- Straight-line distance from each commune to the nearest place training for each profession
-- (Lambert-93), computed at build time from the providers known to the store.
CREATE TABLE commune_access (
    commune_code    VARCHAR NOT NULL REFERENCES commune (code),
    profession_code VARCHAR NOT NULL REFERENCES profession (code),
    provider_id     INTEGER NOT NULL REFERENCES provider (provider_id),
    distance_km     DOUBLE NOT NULL CHECK (distance_km >= 0),
    PRIMARY KEY (commune_code, profession_code)
);

-- Context figures per canton that partners provide (households without a car, childcare…).
CREATE TABLE canton_context (
    year         SMALLINT NOT NULL,
    canton_code  VARCHAR NOT NULL REFERENCES canton (code),
    indicator    VARCHAR NOT NULL,
    value        DOUBLE NOT NULL,
    source_label VARCHAR NOT NULL,
    source_id    INTEGER NOT NULL REFERENCES source (source_id)
);

CREATE TABLE import_log (
    import_id     INTEGER PRIMARY KEY,
    kind          VARCHAR NOT NULL,
    file_name     VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    imported_at   TIMESTAMP NOT NULL,
    imported_by   VARCHAR NOT NULL,
    rows_read     INTEGER NOT NULL,
    rows_kept     INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    report        VARCHAR NOT NULL,
    source_id     INTEGER NOT NULL REFERENCES source (source_id)
);

-- scope: the département's code, or 'FR' for a database of every département; with the other
-- options of the build, so that an import rebuilds the database the same way.
CREATE TABLE build_info (
    departement_code VARCHAR NOT NULL,
    built_at         TIMESTAMP NOT NULL,
    schema_version   INTEGER NOT NULL,
    with_real        BOOLEAN NOT NULL,
    demo_years       SMALLINT[] NOT NULL,
    offers_target    BIGINT
);

-- DARES « Les tensions sur le marché du travail » (2019 edition): per FAP 2009 family and place
-- ('FR' France, 'R:<code>' a région, 'D:<code>' a département), the synthetic indicator, its
-- category (1 very low to 5 very high) and the category of each of its six components.
CREATE TABLE fap_tension (
    fap2009              VARCHAR NOT NULL,
    place                VARCHAR NOT NULL,
    year                 SMALLINT NOT NULL,
    employment           DOUBLE,
    tension              DOUBLE NOT NULL,
    category             SMALLINT CHECK (category BETWEEN 1 AND 5),
    hiring_intensity     SMALLINT CHECK (hiring_intensity BETWEEN 1 AND 5),
    training_mismatch    SMALLINT CHECK (training_mismatch BETWEEN 1 AND 5),
    labour_shortage      SMALLINT CHECK (labour_shortage BETWEEN 1 AND 5),
    non_durable_jobs     SMALLINT CHECK (non_durable_jobs BETWEEN 1 AND 5),
    working_conditions   SMALLINT CHECK (working_conditions BETWEEN 1 AND 5),
    geographic_mismatch  SMALLINT CHECK (geographic_mismatch BETWEEN 1 AND 5),
    source_id            INTEGER NOT NULL REFERENCES source (source_id)
);

-- The official list of occupations in shortage (arrêté of March 2024), per place ('FR' or 'R:<code>').
CREATE TABLE shortage_list (
    place      VARCHAR NOT NULL,
    fap2009    VARCHAR NOT NULL,
    label      VARCHAR NOT NULL,
    source_id  INTEGER NOT NULL REFERENCES source (source_id)
);

-- The ROME v3 fiches of the job-market files of 2020-2021 (`data/referential/rome_v3.csv`): the
-- professions each leads to; a fiche that groups several of ours keeps their figures together.
CREATE TABLE rome_v3 (
    code        VARCHAR PRIMARY KEY,
    label       VARCHAR NOT NULL,
    professions VARCHAR[] NOT NULL,
    relation    VARCHAR NOT NULL CHECK (relation IN ('identique', 'regroupe', 'approchée')),
    note        VARCHAR NOT NULL
);

-- Pôle emploi / DARES tension indicators by bassin d'emploi (BMO 2019 bassins) × ROME v3 fiche, as
-- published for the whole bassin. offers: offers registered in the year (annualised, decimals);
-- job_seekers: job-seekers of categories A, B, C (mean of the quarters). Both NULL where the
-- year's file gives them on another scale (2020). Categories 1 (very low) to 5 (very high).
CREATE TABLE bassin_tension (
    year                SMALLINT NOT NULL,
    bassin_code         VARCHAR NOT NULL,
    rome_code           VARCHAR NOT NULL REFERENCES rome_v3 (code),
    offers              DOUBLE CHECK (offers >= 0),
    job_seekers         DOUBLE CHECK (job_seekers >= 0),
    category            SMALLINT NOT NULL CHECK (category BETWEEN 1 AND 5),
    hiring_intensity    SMALLINT CHECK (hiring_intensity BETWEEN 1 AND 5),
    training_mismatch   SMALLINT CHECK (training_mismatch BETWEEN 1 AND 5),
    labour_shortage     SMALLINT CHECK (labour_shortage BETWEEN 1 AND 5),
    non_durable_jobs    SMALLINT CHECK (non_durable_jobs BETWEEN 1 AND 5),
    working_conditions  SMALLINT CHECK (working_conditions BETWEEN 1 AND 5),
    geographic_mismatch SMALLINT CHECK (geographic_mismatch BETWEEN 1 AND 5),
    source_id           INTEGER NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (year, bassin_code, rome_code)
);

-- The bassins d'emploi (BMO 2019) that touch the database's départements, with the population of
-- each of their départements' parts: a bassin's figure counts in a département at that share.
CREATE TABLE bassin_part (
    bassin_code      VARCHAR NOT NULL,
    bassin_name      VARCHAR NOT NULL,
    departement_code VARCHAR NOT NULL,
    communes         INTEGER NOT NULL CHECK (communes >= 0),
    population       INTEGER NOT NULL CHECK (population >= 0),
    population_year  SMALLINT NOT NULL,
    source_id        INTEGER NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (bassin_code, departement_code)
);

-- The national series of the same indicator, 2011-2019 (DARES), per FAP 2009 family.
CREATE TABLE fap_tension_series (
    fap2009    VARCHAR NOT NULL,
    year       SMALLINT NOT NULL,
    tension    DOUBLE NOT NULL,
    source_id  INTEGER NOT NULL REFERENCES source (source_id)
);

-- SDES's répertoire du parc locatif social (RPLS): social dwellings of each commune on 1 January
-- of `year`. A commune without social housing has no row; `let` and `vacant` are NULL when the
-- source keeps the detail secret (it then publishes only the total).
CREATE TABLE commune_social_housing (
    year             SMALLINT NOT NULL,
    departement_code VARCHAR NOT NULL REFERENCES departement (code),
    commune_code     VARCHAR NOT NULL REFERENCES commune (code),
    stock            INTEGER NOT NULL CHECK (stock >= 0),
    let              INTEGER CHECK (let >= 0),
    vacant           INTEGER CHECK (vacant >= 0),
    source_id        INTEGER NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (year, commune_code)
);

-- InserJeunes: what became of the apprentices who left each CFA (UAI) of the territory, per
-- cumulated cohort; rates in % of the leavers of the whole CFA (all its trades), NULL when not
-- published (too few leavers). Rates of different CFAs are never added up.
CREATE TABLE cfa_outcome (
    cohort           VARCHAR NOT NULL,
    uai              VARCHAR NOT NULL,
    name             VARCHAR NOT NULL,
    departement_code VARCHAR NOT NULL REFERENCES departement (code),
    further_study    DOUBLE CHECK (further_study BETWEEN 0 AND 100),
    employed_6m      DOUBLE CHECK (employed_6m BETWEEN 0 AND 100),
    employed_12m     DOUBLE CHECK (employed_12m BETWEEN 0 AND 100),
    employed_18m     DOUBLE CHECK (employed_18m BETWEEN 0 AND 100),
    employed_24m     DOUBLE CHECK (employed_24m BETWEEN 0 AND 100),
    expected_6m      DOUBLE CHECK (expected_6m BETWEEN 0 AND 100),
    value_added_6m   DOUBLE CHECK (value_added_6m BETWEEN -100 AND 100),
    source_id        INTEGER NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (cohort, uai)
);

-- Salaried jobs and employer establishments of the health and social-work sector (APE 8610Z, 87,
-- 88) per commune, code and year: URSSAF (private employers only), or demo jobs ('total') where no
-- URSSAF file was imported. Counts published by URSSAF per commune: summed, never masked by us.
CREATE TABLE sector_jobs (
    year             SMALLINT NOT NULL,
    departement_code VARCHAR NOT NULL REFERENCES departement (code),
    commune_code     VARCHAR NOT NULL REFERENCES commune (code),
    ape              VARCHAR NOT NULL,
    establishments   INTEGER NOT NULL CHECK (establishments >= 0),
    jobs             INTEGER NOT NULL CHECK (jobs >= 0),
    source_id        INTEGER NOT NULL REFERENCES source (source_id)
);

-- DREES: people paid the APA (allocation personnalisée d'autonomie) for December of `year`, per
-- département: at home, in institutions, and their sum as published.
CREATE TABLE apa_beneficiaries (
    year             SMALLINT NOT NULL,
    departement_code VARCHAR NOT NULL REFERENCES departement (code),
    total            INTEGER NOT NULL CHECK (total >= 0),
    at_home          INTEGER CHECK (at_home >= 0),
    in_institution   INTEGER CHECK (in_institution >= 0),
    source_id        INTEGER NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (year, departement_code)
);

-- The département's own staff for its social and medico-social action on 31 December (DREES), per
-- category ('total_without_foster_carers' is the DREES total, foster carers apart); NULL: not published.
CREATE TABLE departement_staff (
    year             SMALLINT NOT NULL,
    departement_code VARCHAR NOT NULL REFERENCES departement (code),
    category         VARCHAR NOT NULL,
    headcount        INTEGER CHECK (headcount >= 0),
    fte              DOUBLE CHECK (fte >= 0),
    source_id        INTEGER NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (year, departement_code, category)
);

-- A projection, not a measure: DREES's projected population aged '60-74' and '75+' on 1 January of
-- `year`, per département (central scenario, both sexes).
CREATE TABLE age_projection (
    year             SMALLINT NOT NULL,
    departement_code VARCHAR NOT NULL REFERENCES departement (code),
    age_group        VARCHAR NOT NULL,
    population       INTEGER NOT NULL CHECK (population >= 0),
    source_id        INTEGER NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (year, departement_code, age_group)
);
