"""The read side: what each page needs, one module per area of the site. Returns data, never
figures; keyword-only, typed arguments. Callers import the modules (`from indicators.selectors import overview`)."""
