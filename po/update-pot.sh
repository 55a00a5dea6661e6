#!/bin/sh
# Regenerates the translation template po/warbler.pot from the files listed in
# po/POTFILES.in and merges it into every translation listed in po/LINGUAS.
#
#   po/update-pot.sh                 update po/warbler.pot and po/*.po
#   po/update-pot.sh --pot-only FILE write only the template, to FILE
#
# Rust sources are searched for gettext, ngettext, pgettext (context first),
# gettext_f and ngettext_f. Needs xgettext, msgmerge (GNU gettext) and perl.
#
# xgettext before 0.24 has no Rust parser, so Rust sources are read with the
# C parser. Rust strings that C reads differently (continuation lines, which
# Rust trims; literal newlines; raw strings) and lifetimes (which C takes for
# unterminated character constants) are first rewritten, in a temporary copy
# that keeps every file's path and line numbers, so the references in the
# template stay right.
set -eu

domain=warbler
pot=po/$domain.pot
merge=yes
if [ "${1-}" = "--pot-only" ]; then
    [ $# -eq 2 ] || { echo "usage: $0 [--pot-only FILE]" >&2; exit 2; }
    case $2 in
        /*) pot=$2 ;;
        *) pot=$PWD/$2 ;;
    esac
    merge=no
elif [ $# -ne 0 ]; then
    echo "usage: $0 [--pot-only FILE]" >&2
    exit 2
fi
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

version=$(sed -n 's/^version *= *"\(.*\)"/\1/p' Cargo.toml | head -n 1)
common="--from-code=UTF-8 --add-comments=Translators: --package-name=$domain
    --package-version=$version
    --msgid-bugs-address=https://github.com/warbler-im/warbler/issues"

files=$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' po/POTFILES.in)
rust=""
desktop=""
xml=""
for f in $files; do
    [ -f "$f" ] || { echo "$0: $f is listed in po/POTFILES.in but missing" >&2; exit 1; }
    case $f in
        *.rs) rust="$rust $f" ;;
        *.desktop.in) desktop="$desktop $f" ;;
        *) xml="$xml $f" ;;
    esac
done

# The first xgettext run writes the template with its header, the others join it.
join=""

if [ -n "$rust" ]; then
    for f in $rust; do
        mkdir -p "$tmp/src-copy/$(dirname "$f")"
        perl -0777 -pe '
            sub cstr {   # a Rust string body as a C string literal, newlines kept after it
                my ($body, $raw) = @_;
                my $lines = ($body =~ tr/\n//);
                if ($raw) {
                    $body =~ s/\\/\\\\/g;
                    $body =~ s/"/\\"/g;
                } else {
                    $body =~ s/\\\n\s*//g;
                }
                $body =~ s/\n/\\n/g;
                return "\"$body\"" . ("\n" x $lines);
            }
            s{
                (//[^\n]*)                          # line comment: kept
              | (/\*.*?\*/)                         # block comment: kept
              | b?r(\#*)"(.*?)"\3                   # raw string
              | b?"((?:[^"\\]|\\.)*)"               # string
              | (b?\x27(?:[^\x27\\\n]|\\[^\n]+?)\x27) # character literal: kept
              | \x27[A-Za-z_][A-Za-z0-9_]*          # lifetime or label: dropped
            }{
                defined $1 ? $1
              : defined $2 ? $2
              : defined $4 ? cstr($4, 1)
              : defined $5 ? cstr($5, 0)
              : defined $6 ? $6
              : " "
            }gsex;
        ' "$f" >"$tmp/src-copy/$f"
    done
    # shellcheck disable=SC2086
    xgettext $common $join -o "$tmp/$domain.pot" -D "$tmp/src-copy" \
        --language=C --keyword --keyword=gettext --keyword=ngettext:1,2 \
        --keyword=pgettext:1c,2 --keyword=gettext_f --keyword=ngettext_f:1,2 \
        --flag=gettext:1:no-c-format --flag=ngettext:1:no-c-format \
        --flag=ngettext:2:no-c-format --flag=pgettext:2:no-c-format \
        --flag=gettext_f:1:no-c-format --flag=ngettext_f:1:no-c-format \
        --flag=ngettext_f:2:no-c-format $rust
    join=--join-existing
fi
if [ -n "$desktop" ]; then
    # shellcheck disable=SC2086
    xgettext $common $join -o "$tmp/$domain.pot" \
        --keyword --keyword=GenericName --keyword=Comment --keyword=Keywords $desktop
    join=--join-existing
fi
if [ -n "$xml" ]; then
    # The metainfo and GSettings ITS rules pick the strings of these files.
    # shellcheck disable=SC2086
    xgettext $common $join -o "$tmp/$domain.pot" $xml
fi

sed -e '1s/.*/# Translation template for Warbler./' \
    -e "2s/.*/# Copyright (C) Warbler Developers/" \
    "$tmp/$domain.pot" >"$tmp/new.pot"
# Keep the old template when only its creation date would change.
if [ -f "$pot" ]; then
    grep -v '^"POT-Creation-Date:' "$pot" >"$tmp/old-body" || true
    grep -v '^"POT-Creation-Date:' "$tmp/new.pot" >"$tmp/new-body" || true
fi
if ! [ -f "$pot" ] || ! cmp -s "$tmp/old-body" "$tmp/new-body"; then
    cp "$tmp/new.pot" "$pot"
fi

if [ "$merge" = yes ]; then
    for lang in $(sed -e 's/#.*//' po/LINGUAS); do
        msgmerge --quiet --update --backup=none "po/$lang.po" "$pot"
    done
fi
