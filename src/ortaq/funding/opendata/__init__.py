"""Open data of funding: OCDS and 360Giving releases, their pages and commands."""
