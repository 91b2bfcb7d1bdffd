import os

import pytest

from search.errors import ReleaseError
from search.ingest.corpus import (
    CorpusFile,
    Skipped,
    file_stamp,
    iter_corpus_files,
    iter_release_files,
    read_corpus,
    read_release,
)
from search.ingest.file_bytes import MAX_RELEASE_BYTES


def test_iter_release_files_is_sorted_recursive_and_skips_hidden_and_other_suffixes(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ["b/2.txt", "a.html", "1.txt", ".x.txt", ".hidden/3.txt", "notes.pdf", "c.htm"]:
        (tmp_path / name).write_text("x")
    names = [p.relative_to(tmp_path.resolve()).as_posix() for p in iter_release_files(tmp_path)]
    assert names == ["1.txt", "a.html", "c.htm", "b/2.txt"]


def test_symlinks_leading_outside_the_corpus_are_not_followed(tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    corpus.mkdir()
    outside.mkdir()
    (outside / "geheim.txt").write_text("geheim")
    (outside / "sub").mkdir()
    (outside / "sub" / "x.txt").write_text("x")
    (corpus / "real.txt").write_text("real")
    os.symlink(outside / "geheim.txt", corpus / "secret.txt")
    os.symlink(outside / "sub", corpus / "linkdir")
    os.symlink(corpus, corpus / "loop")
    os.symlink(corpus / "real.txt", corpus / "inside_link.txt")
    names = [p.name for p in iter_release_files(corpus)]
    assert names == ["inside_link.txt", "real.txt"]
    # rebuild and sync name each link they do not follow; they left them out without a word.
    reported = [(type(i).__name__, i.path.name, i.reason)
                for i in iter_corpus_files(corpus) if not isinstance(i, tuple)]
    assert reported == [
        ("Skipped", "linkdir", "symbolic link leading outside the corpus folder, not followed"),
        ("Duplicate", "loop", "symbolic link to the folder ., whose files are indexed from there"),
        ("Duplicate", "inside_link.txt", "symbolic link to real.txt, indexed as real.txt"),
        ("Skipped", "secret.txt", "symbolic link leading outside the corpus folder, not followed"),
    ]


def test_corpus_files_carry_their_id_relative_path_and_the_stamp_of_what_they_name(tmp_path):
    # The walk's one stat per file is what sync compares with the index: for a link it must be the target's.
    (tmp_path / "sub").mkdir()
    (tmp_path / ".store").mkdir()
    (tmp_path / "sub" / "Straße.txt").write_text("kurz")
    (tmp_path / ".store" / "ziel.txt").write_text("ein längerer Text")
    os.utime(tmp_path / ".store" / "ziel.txt", ns=(5, 123_456_789))
    os.symlink(tmp_path / ".store" / "ziel.txt", tmp_path / "link.txt")
    files = [item for item in iter_corpus_files(tmp_path) if isinstance(item, CorpusFile)]
    root = tmp_path.resolve()
    assert [(f.id, f.path, f.relative) for f in files] == [
        ("link", root / "link.txt", "link.txt"),
        ("Straße", root / "sub" / "Straße.txt", "sub/Straße.txt"),
    ]
    assert files[0].stamp == f"{len('ein längerer Text'.encode())}:123456789"
    assert [f.stamp for f in files] == [file_stamp(f.path) for f in files]


def test_missing_corpus_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ReleaseError, match=r"Corpus folder .*nope does not exist. Create it or pass --corpus."):
        list(iter_release_files(tmp_path / "nope"))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"  \n\n ", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data, not a text release"),
        (b"Gr\x81\x8de", "cannot be decoded as text (neither UTF-8 nor Windows-1252, byte 2)"),
        ("Text".encode("utf-16-le") + b"\x00\x00\x89PNG", "binary data, not a text release"),
    ],
)
def test_unusable_files_are_skipped_with_a_reason(tmp_path, content, reason):
    (tmp_path / "bad.txt").write_bytes(content)
    (tmp_path / "good.txt").write_text(" date 2020-01-01 Titel\n\nText.\n\nQuelle: Q\n", encoding="utf-8")
    items = list(read_corpus(tmp_path))
    assert [type(i).__name__ for i in items] == ["Skipped", "CorpusEntry"]
    assert items[0].reason == reason
    assert items[1].release.id == "good"
    assert items[1].path == "good.txt"


def test_latin1_file_is_decoded(tmp_path):
    (tmp_path / "alt.txt").write_bytes("Größe der Ärzte\n\nText über Straßen.\n\nQuelle: Q\n".encode("latin-1"))
    release = read_release(tmp_path / "alt.txt")
    assert (release.title, release.text) == ("Größe der Ärzte", "Text über Straßen.")


def test_oversized_file_is_rejected(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_RELEASE_BYTES + 1))
    with pytest.raises(ReleaseError, match="big.txt: larger than 5 MiB"):
        read_release(big)


def test_utf8_bom_is_removed(tmp_path):
    (tmp_path / "bom.txt").write_bytes(" date 2020-01-01 Pressemitteilung\n\nText.\n\nQuelle: Q\n".encode("utf-8-sig"))
    release = read_release(tmp_path / "bom.txt")
    assert release.title == "Pressemitteilung"
    assert release.date.isoformat() == "2020-01-01"


def test_same_id_in_two_folders_keeps_the_first(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "dup.txt").write_text(f"Titel {folder}\n\nText.\n", encoding="utf-8")
    items = list(read_corpus(tmp_path))
    assert items[0].release.title == "Titel a"
    assert items[0].path == "a/dup.txt"
    assert isinstance(items[1], Skipped)
    assert items[1].reason == "same id as a/dup.txt"


def test_html_release_keeps_the_release_and_drops_the_page_chrome(tmp_path):
    from tests.conftest import FIXTURES

    release = read_release(FIXTURES / "pressemeldung_portal.html")
    assert release.id == "pressemeldung_portal"
    assert release.title == "Brand in einer Lagerhalle in Höchst"
    assert release.date.isoformat() == "2020-02-14"
    assert release.source == "Feuerwehr Frankfurt am Main"
    assert release.paragraphs == [
        "In der Nacht zum Freitag brannte eine Lagerhalle im Industriepark Höchst. Die Feuerwehr löschte den Brand.",
        "Verletzt wurde niemand; der Sachschaden wird auf 200.000 Euro geschätzt.",
    ]


def test_html_date_from_german_text_when_no_metadata(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html><body><h1>Titel</h1><p>Frankfurt, 3. März 2016: Es geschah etwas.</p></body></html>",
                    encoding="utf-8")
    release = read_release(page)
    assert release.title == "Titel"
    assert release.date.isoformat() == "2016-03-03"


def test_hostile_file_names(tmp_path):
    from search.ingest.corpus import display_path

    names = [b"pm_\xe4.txt", b"zeile\numbruch.txt", b"-rf.txt", b"x" * 251 + b".txt", "Bu\u0308rger.txt".encode()]
    for number, name in enumerate(names):
        fd = os.open(bytes(tmp_path) + b"/" + name, os.O_WRONLY | os.O_CREAT)
        os.write(fd, b" date 2020-01-01 Titel\n\nText %d.\n\nQuelle: Q\n" % number)
        os.close(fd)
    items = list(read_corpus(tmp_path))
    skipped = sorted((display_path(i.path.name), i.reason) for i in items if isinstance(i, Skipped))
    assert skipped == [
        ("pm_\\xe4.txt", "the file name is not valid UTF-8; rename the file"),
        ("zeile?umbruch.txt", "the file name contains control characters; rename the file"),
    ]
    ids = sorted(i.release.id for i in items if not isinstance(i, Skipped))
    assert ids == ["-rf", "Bürger", "x" * 251]  # NFD "Bürger" becomes NFC


def test_a_symbolic_link_to_a_corpus_file_is_reported_once_not_indexed_twice(tmp_path):
    (tmp_path / "z").mkdir()
    real = tmp_path / "z" / "echt.txt"
    real.write_text(" date 2020-01-01 Titel\n\nText.\n\nQuelle: Q\n", encoding="utf-8")
    os.symlink(real, tmp_path / "a_verweis.txt")  # walked before the file it points to
    items = list(read_corpus(tmp_path))
    assert [type(i).__name__ for i in items] == ["Duplicate", "CorpusEntry"]
    assert (items[0].path.name, items[1].path) == ("a_verweis.txt", "z/echt.txt")
    assert items[0].reason == "symbolic link to z/echt.txt, indexed as z/echt.txt"
    assert items[1].release.id == "echt"


def test_a_link_to_a_file_the_walk_leaves_out_is_the_release(tmp_path):
    (tmp_path / ".archiv").mkdir()
    (tmp_path / ".archiv" / "alt.txt").write_text(" date 2020-01-01 Titel\n\nText.\n\nQuelle: Q\n", encoding="utf-8")
    os.symlink(tmp_path / ".archiv" / "alt.txt", tmp_path / "alt_verweis.txt")
    os.symlink(tmp_path / ".archiv" / "alt.txt", tmp_path / "b_verweis.txt")
    items = list(read_corpus(tmp_path))
    assert items[0].release.id == "alt_verweis"
    assert (items[1].path.name, items[1].reason) == (
        "b_verweis.txt", "symbolic link to .archiv/alt.txt, indexed as alt_verweis.txt")


def test_files_with_the_same_text_are_indexed_once_and_the_others_reported(tmp_path):
    (tmp_path / "a.txt").write_text(" date 2020-01-01 Titel\n\nDer gleiche Text.\n\nQuelle: Q\n", encoding="utf-8")
    # Other metadata, other file, same body: `presse add` calls this a duplicate too.
    (tmp_path / "b.txt").write_text(" date 2021-02-02 Anderer Titel\n\nDer  gleiche Text.\n\nQuelle: R\n",
                                    encoding="utf-8")
    items = list(read_corpus(tmp_path))
    assert [type(i).__name__ for i in items] == ["CorpusEntry", "Duplicate"]
    assert (items[1].path.name, items[1].reason) == ("b.txt", "same text as a")
