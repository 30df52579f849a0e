"""Pure code with no ORM: numbers, formatting, statistics, scoring, validation rules and demo figures."""
