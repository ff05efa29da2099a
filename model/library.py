"""The library boundary: which files a name in a scenario, a command line or an upload may open.

A name is resolved here and nowhere else, so that no input can make rtwsim read an arbitrary file
(``rtwsim run ../../etc/passwd``, ``extends: /etc/hostname``, ``parameters: /srv/secrets.yaml``
in an uploaded file):

- a **library name** (letters, digits, ``_``, ``-``; no folder, no suffix) is a file in the library
  folder (``scenarios/``, ``calibration/calibrated/``, ...) and nothing else;
- a **file beside** the file being read is a bare file name ending in ``.yaml``/``.yml`` (no folder,
  no ``..``), looked up in that file's folder only, and it must stay there after symlinks;
- an **explicit path** is accepted only where the person typing it could open the file anyway:
  the file arguments of the command line (``rtwsim run my_town.yaml``). Scenario files, uploads
  and the app never get this.
"""
from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
SUFFIXES = (".yaml", ".yml")


class LibraryError(ValueError):
    """A name that points outside the library; the message names the allowed forms."""


def shipped(package: str, *folders: str) -> Path:
    """A folder of data shipped in a package (``scenarios``, ``calibration/calibrated`` …), found with
    importlib.resources, so an installed rtwsim finds its library wherever it is installed (not next
    to the source tree)."""
    root = resources.files(package)
    if not isinstance(root, Path):   # a zip import or a namespace package: no folder to glob
        raise LibraryError(f"the {package!r} package data is not a folder on disk ({root!r}); install rtwsim "
                           "with pip or uv, not as a zip")
    return root.joinpath(*folders)


def library_names(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.yaml") if NAME.match(p.stem))


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def in_library(name: str, folder: Path, what: str) -> Path:
    """``name`` → ``folder/name.yaml``, refusing anything that is not a plain library name."""
    if not isinstance(name, str) or not NAME.match(name):
        raise LibraryError(f"{what} {name!r} is not a library name (letters, digits, '_' and '-' only, "
                           f"no folders); available: {library_names(folder)}")
    path = folder / f"{name}.yaml"
    if not path.is_file() or not _inside(path, folder):
        raise LibraryError(f"unknown {what} {name!r}; available: {library_names(folder)}")
    return path


def beside(name: str, folder: Path, what: str) -> Path:
    """A bare file name (``base.yaml``) in ``folder``: no folders, no ``..``, no way out by symlink."""
    p = Path(name)
    if p.suffix not in SUFFIXES or len(p.parts) != 1 or p.name != name or not NAME.match(p.stem):
        raise LibraryError(f"{what} {name!r}: a file must be named by its bare name beside this file "
                           "(e.g. my_base.yaml), without folders")
    path = folder / p.name
    if not path.is_file():
        raise LibraryError(f"{what} {name!r}: no such file beside this one (in {folder.name}/)")
    if not _inside(path, folder):
        raise LibraryError(f"{what} {name!r} leads outside its folder (a symlink); refused")
    return path


def resolve(ref: object, library: Path, what: str, *, folder: Path | None = None,
            allow_path: bool = False) -> Path:
    """The file a reference names: a library name, a file beside ``folder``, or (``allow_path``)
    an explicit path to a YAML file given on the command line."""
    if not isinstance(ref, (str, Path)) or not str(ref).strip():
        raise LibraryError(f"{what}: expected a name such as {(library_names(library) or ['x'])[0]!r}, "
                           f"got {ref!r}; available: {library_names(library)}")
    text = str(ref).strip()
    if Path(text).suffix in SUFFIXES:
        if allow_path:
            p = Path(text)
            if p.is_dir():
                raise LibraryError(f"{what} {text!r} is a folder, not a file")
            if not p.is_file():
                raise LibraryError(f"{what} file {text!r} does not exist")
            return p
        if folder is None:
            raise LibraryError(f"{what} {text!r}: files cannot be named here; use a library name, "
                               f"available: {library_names(library)}")
        return beside(text, folder, what)
    return in_library(text, library, what)
