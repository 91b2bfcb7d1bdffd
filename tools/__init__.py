"""Programs run by hand to make presse's data files (they are not part of the installed package)."""
