"""What an indicator is to the rules that relate one figure to another (Indicator.role).

The rules key on these roles, never on indicator codes, so that a catalogue can name its
indicators as it likes: validation relates received, overdue and the on-time share; the demo
generator derives those three from one simulated district, and ranks units by the index score.
"""

RECEIVED = "received"  # dossiers received
OVERDUE = "overdue"  # dossiers resolved late: never more than received
ON_TIME_SHARE = "on_time_share"  # share resolved on time: must agree with received and overdue
INDEX_SCORE = "index_score"  # the district CCHC index score
INDEX_RANK = "index_rank"  # the official rank in that index: 1..n among the units ranked in a year

# The roles cross_field_problems relates: a change to one of them re-opens the others' checks.
RELATED = frozenset({RECEIVED, OVERDUE, ON_TIME_SHARE})
