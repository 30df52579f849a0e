"""Write side: every change to the data goes through here, inside a transaction.

One module per area: entry (a unit-year's figures), review (approve or return), imports (staging,
preview, confirm, expiry), bulk_write (the raw-SQL writer), demo (demo data), targets, and history
(who changed what and why).
"""
