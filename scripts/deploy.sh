#!/usr/bin/env bash
# Publish a site built by `gongkai build` on the web server, and roll it back.
#
#   scripts/deploy.sh publish SITE_DIR TARGET [KEEP]   copy SITE_DIR into TARGET/releases/<time>, then switch
#                                                      TARGET/current to it in one atomic step; keep KEEP
#                                                      releases (default 5)
#   scripts/deploy.sh rollback TARGET                  switch TARGET/current back to the release before it
#   scripts/deploy.sh list TARGET                      the releases, the current one marked with *
#
# The web server serves TARGET/current (nginx: `alias /srv/gongkai/current/;`). Every release is made
# readable by all users (directories 755, files 644), so that nginx's workers (www-data) can read it.
# Run it on the server, after copying the site there (see content/guide/hosting.md).
set -euo pipefail

say() { printf '%s\n' "$*" >&2; }
fail() { say "错误：$*"; exit 1; }

usage() {
    say "用法：scripts/deploy.sh publish 网站目录 发布目录 [保留版本数]"
    say "      scripts/deploy.sh rollback 发布目录"
    say "      scripts/deploy.sh list 发布目录"
    exit 2
}

# The releases of TARGET, oldest first (their names sort by time).
releases() {
    [ -d "$1/releases" ] || return 0
    find "$1/releases" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%f\n' | LC_ALL=C sort
}

current() {
    local link
    link=$(readlink "$1/current" 2>/dev/null) || return 0
    basename "$link"
}

# Point TARGET/current at releases/NAME: a new symlink renamed over the old one, so that every request
# sees either the old site or the new one, never a missing or half-copied one.
switch() {
    local target=$1 name=$2
    ln -sfn "releases/$name" "$target/.current.new"
    mv -Tf "$target/.current.new" "$target/current"
}

publish() {
    local site=$1 target=$2 keep=${3:-5}
    [ -d "$site" ] || fail "网站目录「$site」不存在。请先运行 gongkai build。"
    [ -f "$site/.gongkai-site" ] && [ -f "$site/index.html" ] \
        || fail "「$site」不是 gongkai build 生成的网站（缺少 .gongkai-site 或 index.html）。"
    [[ "$keep" =~ ^[1-9][0-9]*$ ]] || fail "保留版本数「$keep」应为正整数。"
    mkdir -p "$target/releases"
    local name last tries=0
    last=$(releases "$target" | tail -n 1)
    name=$(date -u +%Y%m%dT%H%M%S.%NZ)
    while [ -e "$target/releases/$name" ] || [[ ! "$name" > "$last" ]]; do  # names sort by time, newest last
        tries=$((tries + 1))
        [ "$tries" -le 100 ] || fail "服务器的时间（$name）早于最新的版本 $last。请校正服务器时间后重试。"
        sleep 0.01
        name=$(date -u +%Y%m%dT%H%M%S.%NZ)
    done
    local incoming="$target/releases/.incoming-$name"
    rm -rf "$incoming"
    trap 'rm -rf "$incoming"' EXIT
    cp -a "$site/." "$incoming/"
    chmod -R u+rwX,go+rX,go-w "$incoming"
    chmod 755 "$target" "$target/releases"
    mv -T "$incoming" "$target/releases/$name"
    trap - EXIT
    switch "$target" "$name"
    say "已发布：$target/releases/$name（$target/current 已指向它）"
    prune "$target" "$keep"
}

# Delete the oldest releases beyond KEEP; never the current one.
prune() {
    local target=$1 keep=$2 now
    now=$(current "$target")
    local all=()
    mapfile -t all < <(releases "$target")
    local extra=$((${#all[@]} - keep)) name
    for name in "${all[@]:0:$((extra > 0 ? extra : 0))}"; do
        [ "$name" = "$now" ] && continue
        rm -rf "${target:?}/releases/$name"
        say "已删除旧版本：$name"
    done
}

rollback() {
    local target=$1 now previous=""
    now=$(current "$target")
    [ -n "$now" ] || fail "「$target/current」不存在，还没有发布过。"
    local name
    while read -r name; do
        [ "$name" = "$now" ] && break
        previous=$name
    done < <(releases "$target")
    [ -n "$previous" ] || fail "没有比 $now 更早的版本可以回退。"
    switch "$target" "$previous"
    say "已回退：$target/current 现在指向 $previous（原来是 $now）"
}

list() {
    local target=$1 now name
    now=$(current "$target")
    while read -r name; do
        if [ "$name" = "$now" ]; then printf '* %s\n' "$name"; else printf '  %s\n' "$name"; fi
    done < <(releases "$target")
}

case "${1:-}" in
    publish) [ $# -ge 3 ] && [ $# -le 4 ] || usage; publish "$2" "$3" "${4:-5}" ;;
    rollback) [ $# -eq 2 ] || usage; rollback "$2" ;;
    list) [ $# -eq 2 ] || usage; list "$2" ;;
    *) usage ;;
esac
