"""Indicators judged from the built site: links and attachments, 双向关联 of 解读, search with facets."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote, urlsplit

from ..model.audit import AuditRule
from ..render.site import urls
from .findings import Context, Evidence, Outcome, doc_evidence, judged

ONLINE_TIMEOUT = 15
ONLINE_WORKERS = 8
SEARCH_BUNDLE = "pagefind/gongkai.json"


def links(ctx: Context, rule: AuditRule) -> Outcome:
    """链接可用性: every internal link and attachment of every page resolves; external ones with --online."""
    site = ctx.site
    evidence, external, checked = [], set(), 0
    for page, found in site.pages.items():
        for link in dict.fromkeys(found.links):
            target = site.resolve(page, link)
            if target is None:
                if urlsplit(link).scheme in ("http", "https"):
                    external.add(link)
                continue
            checked += 1
            if not site.exists(target):
                evidence.append(Evidence(f"页面 /{page} 的链接「{link}」打不开（/{target} 不存在）", page))
            elif (
                (fragment := unquote(urlsplit(link).fragment))
                and target in site.pages
                and fragment not in site.pages[target].ids
            ):
                evidence.append(Evidence(f"页面 /{page} 的链接「{link}」指向的位置不存在", page))
    note = ""
    if ctx.online:
        broken = _broken_external(sorted(external))
        evidence += [Evidence(f"外部链接「{url}」打不开（{why}）", url) for url, why in broken]
        checked += len(external)
    elif external:
        note = f"另有 {len(external)} 个外部链接未检查（加 --online 检查）"
    figure = f"{len(evidence)} 个链接打不开（检查 {checked} 个）"
    pages = [Evidence(f"检查了网站的 {len(site.pages)} 个页面", urls.HOME)]
    return judged(rule, len(evidence), figure, evidence, note, checked=pages)


def _broken_external(targets: list[str]) -> list[tuple[str, str]]:
    with ThreadPoolExecutor(ONLINE_WORKERS) as pool:
        results = list(pool.map(_fetch, targets))
    return [(url, why) for url, why in zip(targets, results, strict=True) if why]


def _fetch(url: str) -> str:
    """Empty when the URL answers; else why not, in Chinese."""
    request = urllib.request.Request(url, headers={"User-Agent": "gongkai-audit"})
    try:
        with urllib.request.urlopen(request, timeout=ONLINE_TIMEOUT) as response:
            return "" if response.status < 400 else f"状态码 {response.status}"
    except urllib.error.HTTPError as error:
        return f"状态码 {error.code}"
    except (urllib.error.URLError, OSError) as error:
        return f"无法连接：{getattr(error, 'reason', error)}"


def both_ways(ctx: Context, rule: AuditRule) -> Outcome:
    """双向关联: each 解读 page links to its policy's page, and the policy's page to the 解读."""
    evidence, linked = [], []
    pairs = 0
    for doc in ctx.county.documents:
        if not doc.is_interpretation:
            continue
        policy = ctx.links.policy_of.get(doc.origin.path)
        if policy is None:
            evidence.append(doc_evidence(doc, f"解读「{doc.title}」没有关联到所解读的文件", "解读对象"))
            continue
        pairs += 1
        page, target = urls.document(doc), urls.document(policy)
        linked.append(doc_evidence(doc, f"解读「{doc.title}」与「{policy.title}」相互链接"))
        if not ctx.site.links_to(page, target):
            evidence.append(doc_evidence(doc, f"解读「{doc.title}」的页面没有链接到「{policy.title}」"))
        if not ctx.site.links_to(target, page):
            evidence.append(doc_evidence(policy, f"「{policy.title}」的页面没有链接到它的解读「{doc.title}」"))
    figure = f"{len(evidence)} 处未关联（{pairs} 对解读和文件）"
    return judged(rule, len(evidence), figure, evidence, checked=linked)


def search(ctx: Context, rule: AuditRule) -> Outcome:
    """搜索功能: the search page, its index, and facets to narrow the results (二次搜索)."""
    site = ctx.site
    evidence, facets = [], []
    if not site.exists(urls.SEARCH):
        evidence.append(Evidence("网站没有搜索页面", urls.SEARCH))
    bundle = site.root / SEARCH_BUNDLE
    if not bundle.is_file():
        evidence.append(Evidence("没有搜索索引：请用 gongkai build 生成网站", urls.SEARCH))
    else:
        version = json.loads(bundle.read_text(encoding="utf-8"))["version"]
        data = json.loads((site.root / "pagefind" / "gk" / version / "facets.json").read_text(encoding="utf-8"))
        facets = [f"{f['name']}（{len(f['values'])} 项）" for f in data["facets"] if f["values"]]
        if not facets:
            evidence.append(Evidence("搜索结果不能按领域、组配分类等筛选（没有二次搜索）", urls.SEARCH))
    figure = "有全文搜索，可按" + "、".join(facets) + "筛选" if not evidence else f"{len(evidence)} 处问题"
    return judged(rule, len(evidence), figure, evidence or [Evidence("搜索", urls.SEARCH)])
