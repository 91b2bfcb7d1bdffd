"""Getting releases in: input files and their encodings, each input format, the corpus file format and folder."""
