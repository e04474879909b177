"""People, organisations and the roles people hold in them."""
