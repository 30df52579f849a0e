"""Forms: the public pages' query strings, data entry and review, the district index."""
