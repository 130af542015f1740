"""Small article files built on the fly for the loader tests (no copied article text)."""
from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A6
from reportlab.pdfgen import canvas


def pdf_bytes(pages: list[list[str]], metadata: dict[str, str] | None = None) -> bytes:
    """A pdf with one page per item of ``pages``, each page drawing its lines of text."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A6, invariant=1)
    for lines in pages:
        y = 380
        for line in lines:
            pdf.drawString(20, y, line)
            y -= 14
        pdf.showPage()
    pdf.save()
    if not metadata:
        return buf.getvalue()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
    writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf_bytes(user_password: str, algorithm: str = "RC4-128") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([["Secret page text here."]]))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


HTML_META = """<!doctype html><html><head><meta charset="utf-8">
<title>Ferry service resumes | Coast Courier</title>
<meta property="og:site_name" content="Coast Courier">
<meta property="article:published_time" content="2019-03-04T08:15:00+01:00">
<meta name="author" content="Ana Ruiz">
<link rel="canonical" href="https://coast-courier.example/2019/ferry">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li>Subscribe today</li></ul></nav>
<div class="advert">Advertisement: cheap flights to everywhere, book now!</div>
<article><h1>Ferry service resumes</h1>
<p>The island ferry service resumed on Monday after a week of storms kept the boats in harbour, the operator said in a statement.</p>
<p>Passengers queued from early morning, and the first crossing of the day left on time with every seat taken.</p>
</article>
<footer>Copyright 2024 Coast Courier. All rights reserved.</footer>
</body></html>
"""

HTML_JSONLD = """<html><head><title>Bridge repairs finished</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "Bridge repairs finished early", "datePublished": "2020-06-30T18:00:00+02:00",
"dateModified": "2020-07-02T09:00:00+02:00",
"author": [{"@type": "Person", "name": "Tom Berg"}, {"@type": "Person", "name": "Lia Sand"}],
"publisher": {"@type": "Organization", "name": "Valley Times"}}</script>
</head><body><article>
<p>Repairs to the old river bridge were finished two weeks ahead of schedule, the council said, and the crossing reopened to traffic in the evening.</p>
<p>Engineers replaced the worn bearings and resurfaced the deck during the closure.</p>
</article></body></html>
"""

HTML_NO_DATE = """<html><head><title>Library extends opening hours</title></head><body>
<nav>Home | Local | Sport</nav>
<article><h1>Library extends opening hours</h1>
<p>The town library will open until nine in the evening on weekdays, librarians said, after readers asked for more time to study.</p>
<p>The change follows a survey in which most members asked for later closing times.</p>
</article>
<footer>Copyright 2024 Town Crier. Contact us.</footer>
</body></html>
"""

HTML_NO_ARTICLE = """<html><head><title>Menu</title></head><body>
<nav><a href="/">Home</a></nav><script>var tracking = 1;</script></body></html>
"""
