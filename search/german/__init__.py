"""German language knowledge: the analyzer, stop words, compounds, word forms, dates and text normalisation."""
