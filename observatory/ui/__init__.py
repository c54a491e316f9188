"""The Streamlit side of the observatory: the only package that imports streamlit.
May import every other room (`present`, `builder`, `figures`…); only the pages and `app.py` import it.

- `session`: which database file, its read-only connection (one per file version);
- `data`: cached, typed wrappers of the `queries` pages call (`data.area_table(filters, year)`);
- `keys`: every session-state and widget key the app and its pages use;
- `sidebar`: the shared filters (sidebar widgets mirrored in the URL, read by `filter_grammar`);
- `widgets`: pieces pages share (source lines, secrecy note, banner, lists, CSS);
- `downloads`: exports, templates and the conference deck;
- `admin`: the data officer's sign-in (`sign_in_log`: its attempts, across sessions);
- `failures`: an unexpected error shown as a short French message, logged for the data officer;
- `stored_files`: imported files lost or altered on the server, and the base's repairs (Données page).

Pages import these modules; these modules import `present` and `figures`, never the reverse.
"""
