"""A government website around a rendered report: Word-exported article markup and the site's chrome.

Real report pages are the report pasted from Word (every paragraph and cell wrapped in MsoNormal
paragraphs and styled spans: 15–35 KB for a report whose text is 6 KB) inside a site template (head
scripts and styles, a header with search, a menu of the site's columns, a breadcrumb, a sidebar of
related links, a footer with the site's identifiers). `site_page` builds such a page from a report
rendered by tests/report_builder.py; `chrome="full"` adds what large provincial sites carry (mega menu,
the open-government catalogue tree, friendly-link lists, inline script bundles): about 200 KB.
The chrome is written here from typical sites' structure; it names no real site.
"""

from __future__ import annotations

import re

_COLUMNS = ["首页", "要闻动态", "政务公开", "政务服务", "互动交流", "走进本区", "专题专栏", "数据开放", "政策文件", "办事指南"]
_SUBCOLUMNS = ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "依申请公开", "政策解读",
               "人事信息", "财政预决算", "重点领域信息公开", "建议提案办理", "政府会议", "规划计划"]
_DEPARTMENTS = ["发展和改革局", "教育局", "科学技术和工业信息化局", "公安分局", "民政局", "司法局", "财政局",
                "人力资源和社会保障局", "自然资源局", "生态环境分局", "住房和城乡建设局", "交通运输局", "水利局",
                "农业农村局", "商务局", "文化旅游广电体育局", "卫生健康局", "退役军人事务局", "应急管理局",
                "审计局", "市场监督管理局", "统计局", "医疗保障局", "城市管理局", "信访局", "行政审批局"]
_STYLE = ("body{margin:0;font-family:'Microsoft YaHei',sans-serif;font-size:14px;color:#333}"
          ".header{height:160px;background:url(/images/banner.jpg) no-repeat center}.nav ul li{float:left;width:120px}"
          ".nav ul li a{display:block;color:#fff;line-height:48px}.subnav{display:none;position:absolute}"
          ".main{width:1200px;margin:0 auto}.article{padding:30px 60px}.article table{border-collapse:collapse}"
          ".footer{background:#1a5aa5;color:#fff;text-align:center;padding:20px}.side li{line-height:32px}")
_SCRIPT = ("var _hmt=_hmt||[];(function(){var hm=document.createElement('script');hm.async=true;"
           "var s=document.getElementsByTagName('script')[0];s.parentNode.insertBefore(hm,s);})();"
           "function setFontSize(n){document.getElementById('zoom').style.fontSize=n+'px';}"
           "$(function(){$('.nav li').hover(function(){$(this).find('.subnav').show()},"
           "function(){$(this).find('.subnav').hide()});var d=new Date();$('#date').text(d.getFullYear());});")


def _article(report_html: str) -> str:
    return report_html.split('<div class="content">', 1)[1].rsplit("</div><footer>", 1)[0]


def editor_markup(report_html: str) -> str:
    """The report's article as a site's web editor saves it (styled paragraphs, cells with a style each)."""
    body = _article(report_html).replace("<p>", '<p style="text-indent:2em;line-height:2em"><span style="font-size:16px;'
                                                 'font-family:仿宋_GB2312">').replace("</p>", "</span></p>")
    body = body.replace("<table>", '<table border="1" cellspacing="0" style="border-collapse:collapse;width:100%">')
    return re.sub(r"<td([^>]*)>(.*?)</td>", lambda m: (
        f'<td{m.group(1)} style="text-align:center">{m.group(2)}</td>'), body)


def word_export(report_html: str) -> str:
    """The report's article as Word's HTML export writes it (styled MsoNormal paragraphs and spans)."""
    body = _article(report_html)
    span = '<span style="font-size:16.0pt;font-family:仿宋_GB2312;mso-hansi-font-family:宋体">'
    body = body.replace("<p>", '<p class="MsoNormal" style="text-indent:32.0pt;line-height:28.0pt;'
                               f'mso-line-height-rule:exactly">{span}').replace("</p>", "</span></p>")
    body = body.replace("<table>", '<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" '
                                   'width="600" style="border-collapse:collapse;border:none;mso-border-alt:solid '
                                   'windowtext .5pt;mso-padding-alt:0cm 5.4pt 0cm 5.4pt">')
    body = body.replace("<tr>", '<tr style="height:20.25pt;mso-height-rule:exactly">')
    return re.sub(r"<td([^>]*)>(.*?)</td>", lambda m: (
        f'<td{m.group(1)} width="58" valign="center" style="border:solid windowtext 1.0pt;border-top:none;'
        'mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt;height:20.25pt">'
        '<p class="MsoNormal" align="center" style="text-align:center;line-height:15.0pt">'
        f'<span lang="EN-US" style="font-size:10.5pt;font-family:仿宋_GB2312;color:black">{m.group(2)}</span>'
        '<span style="font-size:10.5pt;font-family:仿宋_GB2312;color:black"><o:p></o:p></span></p></td>'), body)


def _links(names: list[str], prefix: str) -> str:
    return "".join(f'<li><a href="/{prefix}/{i:03d}/index.html" target="_blank" title="{n}">{n}</a></li>'
                   for i, n in enumerate(names))


def _menu(full: bool) -> str:
    items = []
    for i, column in enumerate(_COLUMNS):
        sub = _SUBCOLUMNS * 2 if full else _SUBCOLUMNS[:6]
        items.append(f'<li class="nav-item"><a href="/col{i}/index.html">{column}</a>'
                     f'<div class="subnav"><ul>{_links(sub, f"col{i}")}</ul></div></li>')
    return f'<div class="nav"><ul class="clearfix">{"".join(items)}</ul></div>'


def _catalogue() -> str:
    """The 政府信息公开目录 tree of a large site: every department with its columns."""
    branches = "".join(f'<li class="tree-node"><a href="/dept{i}/index.html">{d}</a><ul>{_links(_SUBCOLUMNS, f"dept{i}")}'
                       "</ul></li>" for i, d in enumerate(_DEPARTMENTS))
    return f'<div class="xxgk-tree"><h3>信息公开目录</h3><ul>{branches}</ul></div>'


def site_page(report_html: str, chrome: str = "light") -> str:
    full = chrome == "full"
    title = re.search(r"<title>(.*?)</title>", report_html).group(1)
    head = ('<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="SiteName" content="区人民政府">'
            f'<meta name="ArticleTitle" content="{title}"><meta name="ColumnName" content="政府信息公开年报">'
            f"<title>{title}</title>"
            + "".join(f'<link rel="stylesheet" href="/css/{n}.css">' for n in ("common", "index", "xxgk", "font"))
            + f"<style>{_STYLE * (12 if full else 1)}</style>"
            + f"<script>{_SCRIPT * (10 if full else 2)}</script></head>")
    header = ('<div class="header"><div class="top-bar"><span id="date"></span><a href="/wza/">无障碍</a>'
              '<a href="/en/">English</a><a href="/m/">手机版</a></div><div class="logo"><img src="/images/logo.png" '
              'alt="区人民政府"></div><div class="search"><form action="/search"><input name="q" placeholder="请输入关键字">'
              "<button>搜索</button></form></div></div>")
    crumb = ('<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政务公开</a> &gt; '
             '<a href="/xxgk/ndbg/">政府信息公开年报</a></div>')
    meta = ('<div class="article-info"><span>来源：区政府办公室</span><span>字号：<a href="javascript:setFontSize(20)">大'
            '</a> <a href="javascript:setFontSize(16)">中</a> <a href="javascript:setFontSize(14)">小</a></span>'
            '<span>浏览次数：<script>document.write(Math.round(Math.random()*1000))</script></span></div>')
    side = ('<div class="side"><h3>相关栏目</h3><ul>' + _links(_SUBCOLUMNS, "xxgk") + "</ul></div>")
    links = ('<div class="links"><h3>友情链接</h3><select onchange="window.open(this.value)">'
             + "".join(f"<option value='/l{i}'>{d}</option>" for i, d in enumerate(_DEPARTMENTS * (4 if full else 1)))
             + "</select></div>")
    footer = ('<div class="footer"><p>主办单位：区人民政府办公室 承办单位：区大数据中心</p><p>网站标识码：3208130001 '
              '<a href="https://beian.miit.gov.cn/">苏ICP备05009001号</a> 公网安备 32081302000123号</p>'
              '<p>地址：人民路1号 邮编：223100 联系电话：0517-87290000</p><div class="jiucuo"><img src="/images/jiucuo.png" '
              'alt="政府网站找错"></div></div>')
    extra = (_catalogue() + f"<script>{_SCRIPT * 10}</script>") if full else ""
    article = (word_export if full else editor_markup)(report_html)
    return ("<!DOCTYPE html><html>" + head + "<body>" + header + _menu(full) + '<div class="main">' + crumb
            + '<div class="article"><h1 class="article-title">' + title + "</h1>" + meta
            + '<div id="zoom" class="article-content">' + article + "</div></div>" + side + extra
            + "</div>" + links + footer + f"<script>{_SCRIPT}</script></body></html>")
