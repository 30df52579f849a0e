"""Settings by concern: base (apps, database, languages, the site's knobs), security (secrets, HTTPS, CSP, lockout).

`cchc_dashboard.settings.production` is what every deployment runs, `cchc_dashboard.settings.test` what pytest runs.
"""
