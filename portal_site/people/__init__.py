"""The board's people and their roles, for the business manager (issue 19): board roles, panel places and
IMR authorships in one list, invitations, and roles given and taken."""
