"""Every key of `st.session_state` the app and its pages use: filters, widgets and page state."""


class Keys:
    # shared filters (sidebar), mirrored in the URL
    professions = "f_professions"
    years = "f_years"
    indicator = "f_indicator"
    area = "f_area"
    territory = "f_territory"
    threshold = "f_secret"
    distance = "f_km"
    demo = "f_demo"
    url_loaded = "url_loaded"
    notices = "url_notices"
    router_filters = "router_filters"  # the filters app.py drew in this run
    map_level = "map_level"
    provenance_banner = "provenance_banner"
    # Carte
    map_scheme = "map_scheme"
    map_providers = "map_providers"
    map_tiles = "map_tiles"
    map = "carte"
    # Accès
    access_profession = "access_profession"
    access_map = "access_map"
    cfa_cohort = "cfa_cohort"
    open_portrait = "open_portrait"
    map_names = "map_names"
    map_bassins = "map_bassins_shown"
    portrait_wanted = "portrait_wanted"
    # Tendances
    trend_area = "trend_area"
    trend_profession = "trend_profession"
    # Causes des tensions
    tension_family = "tension_family"
    tension_chart = "tension_chart"
    tension_series = "tension_series"
    oldest_chart = "oldest_chart"
    # Besoins à venir
    outlook_place = "outlook_place"
    outlook_horizon = "outlook_horizon"
    outlook_scenario = "outlook_scenario"
    outlook_population_chart = "outlook_population_chart"
    outlook_apa_chart = "outlook_apa_chart"

    @staticmethod
    def outlook_parameter(name: str) -> str:
        return f"outlook_{name}"

    # Export
    export_format = "export_format"
    export_prepare = "export_prepare"
    export_bytes = "export_bytes"
    export_download = "export_download"
    export_download_large = "export_download_large"
    # Présentation
    slide = "slide"
    slide_previous = "slide_previous"
    slide_next = "slide_next"
    slide_auto = "slide_auto"
    slide_tick = "slide_tick"
    deck_download = "deck_download"
    # Données (data officer)
    upload_files = "upload_files"
    methodology = "methodologie"  # its table and, on a phone, its cards (widgets.table_or_cards)
    sources = "sources"
    import_check = "import_check"
    import_checked = "import_checked"
    import_go = "import_go"
    remove_choice = "remove_choice"
    remove_go = "remove_go"
    editions_check = "editions_check"
    editions_found = "editions_found"  # (the base's build, the statuses) of the last check
    admin_ok = "admin_ok"
    admin_password = "admin_password"
    admin_login = "admin_login"

    @staticmethod
    def download(page: str) -> str:
        """The download button of a page's filtered rows."""
        return f"download_{page}"

    @staticmethod
    def slide_chart(position: int) -> str:
        return f"slide_chart_{position}"

    @staticmethod
    def fetch_source(key: str) -> str:
        """The « Mettre à jour » button of one public source."""
        return f"fetch_{key}"

    @staticmethod
    def template(fmt: str, example: bool) -> str:
        return f"template_{fmt}_{example}"

    @staticmethod
    def context_template(example: bool) -> str:
        return f"context_template_{example}"
