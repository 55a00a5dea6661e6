#!/usr/bin/env python3
"""Write the flatpak-builder sources that vendor every crate in Cargo.lock.

The release manifest builds without network access: flatpak-builder
downloads each crate listed here (and checks its sha256 from Cargo.lock),
unpacks it into cargo/vendor/<name>-<version>, and a cargo configuration
points crates.io at that directory. Run it whenever Cargo.lock changes:

    flatpak/cargo-sources.py            # reads Cargo.lock, writes flatpak/cargo-sources.json

Only crates from crates.io are supported; anything else is an error.
"""

import argparse
import json
import sys
import tomllib
from pathlib import Path

CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index"
DOWNLOAD_URL = "https://static.crates.io/crates/{name}/{name}-{version}.crate"
VENDOR_DIR = "cargo/vendor"
CARGO_CONFIG = f"""[source.crates-io]
replace-with = "vendored-sources"

[source.vendored-sources]
directory = "{VENDOR_DIR}"
"""


def crate_sources(package):
    """The archive of one crate and the checksum file cargo expects next to it."""
    name, version, checksum = package["name"], package["version"], package["checksum"]
    dest = f"{VENDOR_DIR}/{name}-{version}"
    return [
        {
            "type": "archive",
            "archive-type": "tar-gzip",
            "url": DOWNLOAD_URL.format(name=name, version=version),
            "sha256": checksum,
            "dest": dest,
        },
        {
            "type": "inline",
            # Cargo verifies the archive against "package"; the files were
            # already verified as part of it, so none are listed one by one.
            "contents": json.dumps({"package": checksum, "files": {}}),
            "dest": dest,
            "dest-filename": ".cargo-checksum.json",
        },
    ]


def sources(lock):
    """All sources for the packages of a parsed Cargo.lock."""
    result = []
    for package in lock.get("package", []):
        source = package.get("source")
        if source is None:
            continue  # a package of this workspace
        if source != CRATES_IO:
            sys.exit(f"{package['name']} {package['version']}: unsupported source {source}")
        if "checksum" not in package:
            sys.exit(f"{package['name']} {package['version']}: no checksum in Cargo.lock")
        result.extend(crate_sources(package))
    result.append(
        {
            "type": "inline",
            "contents": CARGO_CONFIG,
            "dest": "cargo",
            "dest-filename": "config.toml",
        }
    )
    return result


def main():
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lockfile", nargs="?", default=root / "Cargo.lock", type=Path)
    parser.add_argument(
        "-o", "--output", default=root / "flatpak" / "cargo-sources.json", type=Path
    )
    args = parser.parse_args()
    with open(args.lockfile, "rb") as lockfile:
        lock = tomllib.load(lockfile)
    text = json.dumps(sources(lock), indent=4) + "\n"
    args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
