import { describe, expect, it } from 'vitest';
import { parseHtml } from '#shared/domain/normalize/html/dom.ts';
import { extractHtml } from '#shared/domain/normalize/html/index.ts';
import { readMetadata } from '#shared/domain/normalize/html/metadata.ts';

const read = (head: string, body: string, url = 'https://news.example.org/a/story') =>
  readMetadata(parseHtml(`<html><head>${head}</head><body>${body}</body></html>`), url);

describe('title: the headline proper out of a heading with a kicker', () => {
  it('drops a kicker written as an element before bare headline text', () => {
    // Prepare
    const head = '<meta property="og:title" content="Große Aufgaben für die neue Regierung">';
    const body = '<h1><small>Tunesien</small><br> Große Aufgaben für die neue Regierung </h1>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Große Aufgaben für die neue Regierung');
  });

  it('keeps a headline whose words are set in inline markup', () => {
    // Prepare
    const head = '<meta property="og:title" content="Ehezoff der Pochers eskaliert">';
    const body = '<h1><span class="mc">Ehezoff</span> der Pochers eskaliert</h1>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Ehezoff der Pochers eskaliert');
  });
});

describe('title: a section or site label is not the headline', () => {
  it('among several <h1>s takes the story og:title names, not the page label the <title> repeats', () => {
    // Prepare
    const head =
      '<title>News - Eawag</title><meta property="og:title" content="Auf das erste Elektron kommt es an">';

    // Act
    const meta = read(head, '<h1 class="pagetitle">News</h1><h1>Auf das erste Elektron kommt es an</h1>');

    // Assess
    expect(meta.title).toBe('Auf das erste Elektron kommt es an');
  });

  it('among several <h1>s takes the one og:title names, not the site name in the <title>', () => {
    // Prepare
    const head =
      '<title>Colder Temperatures Forecast l KBS WORLD</title><meta property="og:title" content="Colder Temperatures Forecast">';
    const body =
      '<h1 class="logo"><a href="/service/index.htm">KBS WORLD</a></h1><h1>Colder Temperatures Forecast</h1>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Colder Temperatures Forecast');
  });
});

describe('title: a heading carrying the site name after a separator', () => {
  it('drops a hidden " | Site" suffix the og:title does not have', () => {
    // Prepare
    const head = '<meta property="og:title" content="Was wir über uns nicht hören wollen">';
    const body =
      '<h1>Was wir über uns nicht hören wollen<span class="element-invisible"> | FASSETTE.NET</span></h1>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Was wir über uns nicht hören wollen');
  });
});

describe('date: sources beyond news article markup', () => {
  it('reads the publication date of a schema.org HowTo', () => {
    // Prepare
    const ld =
      '{"@context":"https://schema.org","@type":"HowTo","name":"Tischdecke nähen","datePublished":"2022-01-10T22:06:08Z"}';

    // Act
    const meta = read(`<script type="application/ld+json">${ld}</script>`, '<p>Schritt 1</p>');

    // Assess
    expect(meta.publishedDay).toBe('2022-01-10');
  });

  it('reads a Russian date written next to the headline', () => {
    // Prepare
    const body =
      '<h1>Подольски завершил карьеру в сборной</h1><span>15 августа 2016, 13:43</span><p>Текст.</p>';

    // Act
    const meta = read('', body);

    // Assess
    expect(meta.publishedDay).toBe('2016-08-15');
  });
});

describe('date: the calendar day the outlet shows', () => {
  it('takes the local day of a <time> that is the same moment as the UTC metadata', () => {
    // Prepare
    const head = '<meta property="article:published_time" content="2022-05-04T03:37:37+00:00">';
    const body =
      '<h1>Headline of the story</h1><time datetime="2022-05-03T23:37:37-04:00">3 May, 2022</time>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.publishedDay).toBe('2022-05-03');
  });

  it('ignores a teaser timestamp that is another moment', () => {
    // Prepare
    const head = '<meta property="article:published_time" content="2020-08-14T21:30:04+00:00">';
    const body =
      '<h1>Headline of the story</h1><aside><time datetime="2020-08-15T09:35:53-07:00">now</time></aside>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.publishedDay).toBe('2020-08-14');
  });

  it('reads 23:00 UTC on the hour as local midnight of the next day', () => {
    // Prepare
    const head = '<meta property="article:published_time" content="2022-11-06T23:00:00.000Z">';

    // Act
    const meta = read(head, '<h1>Headline of the story</h1>');

    // Assess
    expect(meta.publishedDay).toBe('2022-11-07');
  });
});

describe('date: the date shown under the headline', () => {
  it('takes a shown date a few days after the metadata date (the update the outlet presents)', () => {
    // Prepare
    const head = '<meta property="article:published_time" content="2021-03-16T17:16:00+01:00">';
    const body =
      '<h1>Medienbericht: Lockdown steht vor Verlängerung</h1><p class="date-time">20. März 2021 - 15:00 Uhr</p><p>Text.</p>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.publishedDay).toBe('2021-03-20');
  });

  it('takes a shown date labelled as an update however much later it is', () => {
    // Prepare
    const head = '<meta property="article:published_time" content="2019-10-15T10:00:00Z">';
    const body =
      '<h1>Dead skin cells and your beauty routine</h1><div>Updated Mar 12, 2020 @ 10:42 am</div><p>Text.</p>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.publishedDay).toBe('2020-03-12');
  });

  it('keeps the metadata date when the shown date is months later and not labelled', () => {
    // Prepare
    const head = '<meta property="article:published_time" content="2017-04-12T18:33:59+02:00">';
    const body = '<h1>Les clés pour aller bien</h1><span>19 février 2020</span><p>Texte.</p>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.publishedDay).toBe('2017-04-12');
  });

  it('settles JSON-LD and OpenGraph that disagree with the date the page shows', () => {
    // Prepare
    const ld = '{"@type":"NewsArticle","headline":"Weihnachten","datePublished":"2021-12-06 14:36"}';
    const head = `<script type="application/ld+json">${ld}</script><meta property="article:published_time" content="2022-12-15T09:13:00">`;
    const body = '<h1>Weihnachten nicht zunehmen</h1><div class="info">15.12.2022</div><p>Text.</p>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.publishedDay).toBe('2022-12-15');
  });

  it('prefers the shown date to a bare "date" meta, often the day the page was rendered', () => {
    // Prepare
    const head = '<meta name="date" content="2020-04-29T11:52:23">';
    const body =
      '<h1>Daten von Rheinmetall gehackt</h1><p><span>Stand: 28.04.2020 18:00 Uhr</span></p><p>Text.</p>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.publishedDay).toBe('2020-04-28');
  });

  it('does not read a date out of the headline itself, nor one far down the article', () => {
    // Prepare
    const head = '<meta property="article:published_time" content="2015-01-28T15:41:20+01:00">';
    const body = `<h1>Tagung (26. und 27. 2. 2015, Eichstätt)</h1><p>${'Lorem ipsum dolor. '.repeat(60)}</p><p>Posted on February 7, 2015</p>`;

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.publishedDay).toBe('2015-01-28');
  });

  it('does not take a <time> marked as the modification for the publication date', () => {
    // Prepare
    const body =
      '<time itemprop="dateModified">2018-08-29 14:15:57</time><time itemprop="datePublished" datetime="2018-06-22 10:20:00">22.06.2018</time><h1>Anpassung der Vorlagen</h1>';

    // Act
    const meta = read('', body);

    // Assess
    expect(meta.publishedDay).toBe('2018-06-22');
  });
});

describe('title: headings the page repeats or splits', () => {
  it('counts a headline repeated in two <h1>s (desktop and mobile layouts) once', () => {
    // Prepare
    const head = '<title>Run Windows on Mac - Parallels Desktop 15 Virtual Machine for Mac</title>';
    const body = '<h1>Parallels Desktop 15 for Mac</h1><p>Text.</p><h1>Parallels Desktop 15 for Mac</h1>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Parallels Desktop 15 for Mac');
  });

  it('takes a lone three-word <h1> the <title> does not repeat', () => {
    // Prepare
    const head = '<title>Joghurt | MinusL</title>';

    // Act
    const meta = read(head, '<h1>Unsere MinusL Joghurts</h1><p>Text.</p>');

    // Assess
    expect(meta.title).toBe('Unsere MinusL Joghurts');
  });

  it('takes the part of a heading the JSON-LD headline names exactly, not the longer roofline', () => {
    // Prepare
    const ld = '{"@type":"NewsArticle","headline":"So wird Adblue richtig angewendet"}';
    const head = `<title>Adblue nachfüllen: wo kaufen (Tankstelle); Preis | autozeitung.de</title><script type="application/ld+json">${ld}</script>`;
    const body =
      '<h1><span class="roofline">Adblue nachfüllen: wo kaufen (Tankstelle); Preis</span> So wird Adblue richtig angewendet </h1>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('So wird Adblue richtig angewendet');
  });

  it('looks through a lone wrapper inside the heading to drop a screen-reader label', () => {
    // Prepare
    const head = '<meta property="og:title" content="Energiewende und gesellschaftlicher Wandel">';
    const body =
      '<h1><div class="headline"><span class="visuallyhidden">Headline:</span> Energiewende und gesellschaftlicher Wandel </div></h1>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Energiewende und gesellschaftlicher Wandel');
  });

  it('drops the date and tags set under the headline after a line break', () => {
    // Prepare
    const head = '<meta property="og:title" content="Zuschauerrückkehr bei den Proficlubs">';
    const body =
      '<h1> Zuschauerrückkehr bei den Proficlubs<br><small>02.02.2022 • Verband, Presse</small></h1>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Zuschauerrückkehr bei den Proficlubs');
  });

  it('keeps a headline whole when a line break only wraps it', () => {
    // Prepare
    const head =
      '<meta property="og:title" content="Tanz in der Lokremise: Mit allen Wassern gewaschen | Tagblatt">';
    const body = '<h1><div>Tanz in der Lokremise: <br>Mit allen Wassern gewaschen</div></h1>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Tanz in der Lokremise: Mit allen Wassern gewaschen');
  });
});

describe('title: pages without an article <h1>', () => {
  it('prefers the heading the title metadata names to a headline-class teaser heading', () => {
    // Prepare
    const head = '<meta property="og:title" content="How to Grow a Lemon Tree from Seed">';
    const body =
      '<h2>How to Grow a Lemon Tree from Seed</h2><p>Text.</p><aside><h2 class="entry-title">ZZ Plant Care: A Complete Guide</h2></aside>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('How to Grow a Lemon Tree from Seed');
  });

  it('keeps the case the page shows when og:title is title-cased', () => {
    // Prepare
    const head =
      '<meta property="og:title" content="Vessel Returning To Puerto Rico With Cocaine Intercepted By Agents">';
    const body = '<h2>Vessel Returning to Puerto Rico With Cocaine Intercepted by Agents</h2><p>Text.</p>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Vessel Returning to Puerto Rico With Cocaine Intercepted by Agents');
  });
});

describe('title: labels, site names and stray glyphs', () => {
  it('does not take a site-name field that holds the story title for the site name', () => {
    // Prepare
    const head =
      '<title>US-Sport in Zeiten von Corona - ZDFmediathek</title><meta property="og:site_name" content="US-Sport in Zeiten von Corona - ZDFmediathek"><meta property="og:title" content="US-Sport in Zeiten von Corona">';
    const body =
      '<h1>US-Sport in Zeiten von Corona</h1><h2 class="headline">Mein ZDF – Login</h2><p>Text.</p>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('US-Sport in Zeiten von Corona');
  });

  it('matches a heading to og:title whatever the apostrophe style', () => {
    // Prepare
    const head = `<meta property="og:title" content="« Les privatisations sont au profit d'intérêts privés »">`;
    const body =
      '<h1>Attac France L’action citoyenne</h1><h1>« Les privatisations sont au profit d’intérêts privés »</h1>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('« Les privatisations sont au profit d’intérêts privés »');
  });

  it('among several <h1>s the title fields name takes the longest, not the section label', () => {
    // Prepare
    const head =
      '<title>Zoll online - Fachmeldungen - Verkündung des Tabaksteuermodernisierungsgesetzes</title><meta name="title" content="Fachmeldungen - Verkündung des Tabaksteuermodernisierungsgesetzes">';
    const body =
      '<h1>Zoll</h1><h1>Fachmeldungen</h1><h1>Verkündung des Tabaksteuermodernisierungsgesetzes</h1>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Verkündung des Tabaksteuermodernisierungsgesetzes');
  });

  it('takes a lone one-word <h1> when only a generic <title> competes', () => {
    // Prepare
    const head = '<title>Geschichte - St. Georgs Chorknaben Ulm</title>';

    // Act
    const meta = read(head, '<h1>Chorgeschichte</h1><h3 class="ce_headline">Anfahrt</h3><p>Text.</p>');

    // Assess
    expect(meta.title).toBe('Chorgeschichte');
  });

  it('treats an <h1> linking to a home page behind an archive prefix as the logo', () => {
    // Prepare
    const head = '<title>Was ist Virales Marketing? | DimidoBlog</title>';
    const body =
      '<h1><a href="https://web.archive.org/web/20080731095558/http://www.dimido.de/">DimidoBlog</a></h1><p>Text.</p>';

    // Act
    const meta = read(
      head,
      body,
      'https://web.archive.org/web/20080731/http://www.dimido.de/a/virales-marketing',
    );

    // Assess
    expect(meta.title).toBe('Was ist Virales Marketing?');
  });

  it('does not take an <h1> holding a named anchor (no link) for the logo', () => {
    // Prepare
    // The site part is the longer one, so the <title> alone would give the site name.
    const head =
      '<title>ORSO MARSICANO: UN ANNO DA RECORD | Parco Nazionale d’Abruzzo, Lazio e Molise</title>';
    const body = '<h1><a id="top"></a>ORSO MARSICANO: UN ANNO DA RECORD</h1><p>Text.</p>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('ORSO MARSICANO: UN ANNO DA RECORD');
  });

  it('drops a separator glyph left before the title but keeps guillemet quotes', () => {
    // Prepare
    const head = '<title>mediaarchitecture.de // » Jens Weber</title>';

    // Act
    const plain = read(head, '<p>Text.</p>', 'https://mediaarchitecture.de/jens-weber');
    const quoted = read('<title>»frag.jetzt«</title>', '<p>Text.</p>');

    // Assess
    expect(plain.title).toBe('Jens Weber');
    expect(quoted.title).toBe('»frag.jetzt«');
  });
});

describe('title: headings that reword or frame the title metadata', () => {
  it('drops a quote set before the headline with a slash when the JSON-LD headline is the rest', () => {
    // Prepare
    const ld = '{"@type":"NewsArticle","headline":"Irme Stetter-Karp ist neue ZdK-Präsidentin"}';
    const head = `<script type="application/ld+json">${ld}</script>`;

    // Act
    const meta = read(head, '<h1>"Reformstau lösen" / Irme Stetter-Karp ist neue ZdK-Präsidentin</h1>');

    // Assess
    expect(meta.title).toBe('Irme Stetter-Karp ist neue ZdK-Präsidentin');
  });

  it('takes a subheading the og:title starts with before a separator', () => {
    // Prepare
    const head = '<meta property="og:title" content="30.11. | Buch der Woche - Nikole Hannah-Jones • 1619">';
    const body = '<h1>Literatur</h1><h2>30.11. | Buch der Woche</h2><p>Text.</p>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('30.11. | Buch der Woche');
  });

  it('takes an <h1> whose words the <title> holds reworded over an unrelated og:title', () => {
    // Prepare
    const head =
      '<title>The Insiders - Schnell aufgefrischtes Haar mit dem neuen Wellaflex 10-in-1 Trockenshampoo</title><meta property="og:title" content="Möchtest Du The Insiders beitreten?">';
    const body =
      '<h1>Wellaflex – Schnell aufgefrischtes Haar mit dem 10-in-1 Trockenshampoo</h1><h1>Anwendung</h1>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Wellaflex – Schnell aufgefrischtes Haar mit dem 10-in-1 Trockenshampoo');
  });
});

describe('title: candidate agreement between the headline and the headings next to it', () => {
  it('takes the heading under the <h1> when og:title and twitter:title name it and nothing names the <h1>', () => {
    // Prepare
    const head =
      '<title>Gartenbau: Der Herbst kommt früh | Beispielblatt</title>' +
      '<meta property="og:title" content="Warum die Äpfel schon im August fallen">' +
      '<meta name="twitter:title" content="Warum die Äpfel schon im August fallen">';
    const body =
      '<h1>Gartenbau</h1><h2>Warum die Äpfel schon im August fallen</h2><p>Text.</p><h3>Mehr dazu</h3>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Warum die Äpfel schon im August fallen');
  });

  it('takes the headline part of the neighbouring heading when the fields name it and its kicker', () => {
    // Prepare
    const ld = '{"@type":"NewsArticle","headline":"Radreisen"}';
    const head =
      `<script type="application/ld+json">${ld}</script>` +
      '<meta property="og:title" content="Radreisen: Mit dem Rad durch Dänemark">' +
      '<meta name="title" content="Mit dem Rad durch Dänemark">';
    const body =
      '<h1>Radreisen - Dänemark</h1>' +
      '<h2><span class="subline">Radreisen</span> <span class="headline">Mit dem Rad durch Dänemark</span></h2>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Mit dem Rad durch Dänemark');
  });

  it('keeps the <h1> when the heading after it only repeats it', () => {
    // Prepare
    const ld = '{"@type":"NewsArticle","headline":"Neue Regeln für Streaming"}';
    const head =
      `<script type="application/ld+json">${ld}</script>` +
      '<meta property="og:title" content="Abrechnung: Neue Regeln für Streaming">';
    const body =
      '<h1>Abrechnung: Neue Regeln für Streaming</h1>' +
      '<h2><span>Abrechnung</span> : <span>Neue Regeln für Streaming</span></h2><p>Text.</p>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Abrechnung: Neue Regeln für Streaming');
  });
});

describe('JSON-LD strings written HTML-escaped', () => {
  it('decodes character references in the JSON-LD headline and author', () => {
    // Prepare
    const ld =
      '{"@type":"NewsArticle","headline":"&#8222;Genug&#8220;: Olive &#038; Herb trennen sich","author":{"@type":"Person","name":"J&ouml;rg M&uuml;ller"}}';

    // Act
    const meta = read(`<script type="application/ld+json">${ld}</script>`, '<p>Text.</p>');

    // Assess
    expect(meta.title).toBe('„Genug“: Olive & Herb trennen sich');
    expect(meta.byline).toEqual(['Jörg Müller']);
  });
});

describe('title: separators that set off only the site name', () => {
  it('drops a site part after a spaced colon when the logo heading names the site', () => {
    // Prepare
    const head = '<title>Apfelkuchen vom Blech : Backstube Rezepte</title>';
    const body =
      '<h1 class="logo"><a href="/">Backstube Rezepte</a></h1><h2>Apfelkuchen vom Blech</h2><p>Text.</p>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Apfelkuchen vom Blech');
    expect(meta.siteName).toBe('Backstube Rezepte');
  });

  it('keeps a spaced colon inside a headline when neither side names the site', () => {
    // Prepare
    const head = '<title>Réforme des retraites : le gouvernement recule</title>';

    // Act
    const meta = read(head, '<p>Text.</p>');

    // Assess
    expect(meta.title).toBe('Réforme des retraites : le gouvernement recule');
  });

  it('drops a short site name set after an unspaced dash in a Chinese title', () => {
    // Prepare
    const head = '<title>城市的声音：春天来了！-示例网</title>';

    // Act
    const meta = read(head, '<p>正文。</p>');

    // Assess
    expect(meta.title).toBe('城市的声音：春天来了！');
  });
});

describe('title: the heading right before the article body', () => {
  const paragraphs = [
    'Ich habe das Abo vor einem halben Jahr abgeschlossen und koche seitdem jeden Abend frisch, ohne vorher lange einkaufen zu müssen.',
    'Die Rezepte sind einfach, die Zutaten kommen gut verpackt an, und die Portionen reichen auch für zwei hungrige Erwachsene.',
    'Einziger Wunsch: mehr vegetarische Gerichte in der Auswahl, besonders im Winter, wenn das Gemüse knapp und teuer ist.',
  ]
    .map((p) => `<p>${p}</p>`)
    .join('');

  it('takes the heading above the body when the title metadata matches no heading', () => {
    // Prepare
    const html =
      '<html><head><title>Kundin bewertet Kochbox mit 5 Sternen</title>' +
      '<meta property="og:title" content="Eine Kundin gab Kochbox 5 Sterne. Zur Bewertung ..."></head>' +
      `<body><nav><a href="/">Start</a></nav><div class="review-header"><h2>Kochen ist wieder ein Vergnügen</h2></div><article>${paragraphs}</article></body></html>`;

    // Act
    const page = extractHtml(html, 'https://reviews.example.org/r/1');

    // Assess
    expect(page.metadata.title).toBe('Kochen ist wieder ein Vergnügen');
  });

  it('takes the heading that opens the body when the <title> is only the site name', () => {
    // Prepare
    const html =
      '<html><head><title>Bahnauskunft -</title></head>' +
      `<body><nav><a href="/">Start</a></nav><article><h2>Ersatzverkehr zwischen A und B</h2>${paragraphs}</article></body></html>`;

    // Act
    const page = extractHtml(html, 'https://rail.example.org/d/245738');

    // Assess
    expect(page.metadata.title).toBe('Ersatzverkehr zwischen A und B');
  });

  it('keeps the title metadata when a heading repeats it', () => {
    // Prepare
    const html =
      '<html><head><title>Kochen ist wieder ein Vergnügen | Beispielblatt</title></head>' +
      `<body><article><h1>Kochen ist wieder ein Vergnügen</h1><h2>Die Kochbox im Test</h2>${paragraphs}</article></body></html>`;

    // Act
    const page = extractHtml(html, 'https://news.example.org/a/1');

    // Assess
    expect(page.metadata.title).toBe('Kochen ist wieder ein Vergnügen');
  });

  it('does not take a sidebar widget heading over title metadata that no heading repeats', () => {
    // Prepare
    const html =
      '<html><head><title>Council backs tram extension | Example Post</title>' +
      '<meta property="og:title" content="Council backs tram extension"></head>' +
      '<body><div class="layout"><aside><div class="widget"><h3 class="widget-title">Follow us on social media</h3>' +
      `<a href="/fb">Facebook</a></div></aside><div class="story">${paragraphs}</div></div></body></html>`;

    // Act
    const page = extractHtml(html, 'https://news.example.org/a/2');

    // Assess
    expect(page.metadata.title).toBe('Council backs tram extension');
  });

  it('reads a heading without its ruby annotations (furigana)', () => {
    // Prepare
    const body =
      '<h1><ruby>体罰<rt>たいばつ</rt></ruby>を<ruby>禁止<rp>(</rp><rt>きんし</rt><rp>)</rp></ruby>する法律</h1>';

    // Act
    const meta = read('', body);

    // Assess
    expect(meta.title).toBe('体罰を禁止する法律');
  });
});

describe('title: kickers marked up by class', () => {
  it('drops a kicker-classed first part of the headline, read from a copy marked up elsewhere', () => {
    // Prepare
    const head = '<meta property="og:title" content="Covid-19: Lässt sich die Ausbreitung kontrollieren?">';
    const body =
      '<ol class="crumbs"><li><h1>Covid-19: Lässt sich die Ausbreitung kontrollieren?</h1></li></ol>' +
      '<h2><span class="content__kicker">Covid-19</span><span class="sr-only">: </span>' +
      '<span class="content__title">Lässt sich die Ausbreitung kontrollieren?</span></h2>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Lässt sich die Ausbreitung kontrollieren?');
  });

  it('drops a first part classed small before the bare headline text', () => {
    // Prepare
    const head = '<title>Initiative Effizienz - kostenloser Stromcheck | Bauen heute</title>';
    const body =
      '<h1><span class="small">Initiative Effizienz</span> Kostenloser Stromcheck für private Haushalte </h1>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Kostenloser Stromcheck für private Haushalte');
  });

  it('keeps a first part whose class only contains "small" as part of a word (headline-small)', () => {
    // Prepare
    const body =
      '<h1><span class="headline-small">Council backs tram extension</span> <span>Residents split over cost</span></h1>';

    // Act
    const meta = read('', body);

    // Assess
    expect(meta.title).not.toBe('Residents split over cost');
    expect(meta.title).toContain('Council backs tram extension');
  });
});

describe('title: subheadings further down the page', () => {
  it('finds the subheading og:title names after dozens of navigation headings', () => {
    // Prepare
    const head = '<meta property="og:title" content="Korsetts">';
    const nav = Array.from({ length: 30 }, (_, i) => `<h2>Rubrik ${i + 1}</h2>`).join('');
    const body = `${nav}<h2>Korsetts</h2><p>Korsetts – Shops, Designer, online kaufen.</p>`;

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Korsetts');
  });
});

describe('title: pages without an <h1> or title metadata', () => {
  it('takes the first <h2> holding a part of the <title> as whole words', () => {
    // Prepare
    const head = '<title>Neubau Werkstattgebäude - Neubau Campus Nord</title>';
    const body =
      '<h2 class="sr-only">Hauptnavigation</h2><h2>Projektwettbewerb Neubau Werkstattgebäude Campus Nord</h2>' +
      '<h2>Übersicht Projekte</h2>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Projektwettbewerb Neubau Werkstattgebäude Campus Nord');
  });

  it('does not take an <h2> that holds a <title> part only inside a longer word', () => {
    // Prepare
    const head = '<title>Bau - Verein Nord</title>';
    const body = '<h2>Baustellenkalender</h2><h2>Termine</h2>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).not.toBe('Baustellenkalender');
  });
});

describe('title: headings written for screen readers only', () => {
  it('takes the visible heading opening the body, not the hidden "main content" landmark before it', () => {
    // Prepare
    const html =
      '<html><head><title>Wochenbericht 14. - 20. Januar 2022 - Institut</title></head><body>' +
      '<h2 class="text-hide">Hauptinhalt</h2><article><header><h2>Schwache Profile – günstige Lawinensituation</h2></header>' +
      '<p>Nach klarer Nacht ist es tagsüber sonnig, dieser Satz fand sich mehrfach in den letzten Lawinenbulletins der Woche.</p>' +
      '<p>Die Schneedecke blieb an den meisten Hängen stabil, nur an wenigen steilen Schattenhängen lagen schwache Schichten.</p>' +
      '<p>Für die kommenden Tage erwarten die Fachleute kaum Änderungen an der günstigen Lawinensituation in den Alpen.</p>' +
      '</article></body></html>';

    // Act
    const page = extractHtml(html, 'https://research.example.org/reports/weekly');

    // Assess
    expect(page.metadata.title).toBe('Schwache Profile – günstige Lawinensituation');
  });
});

describe('title: a subheading the title metadata repeats with a bracketed suffix', () => {
  it('takes the <h2> when og:title is it plus an issue number in brackets', () => {
    // Prepare
    const head = '<meta property="og:title" content="Der historische Purzelbaum (2021/5)">';
    const body = '<header><h2>Der historische Purzelbaum</h2></header><h3>Zeit ist Geld</h3>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Der historische Purzelbaum');
  });

  it('keeps og:title when the brackets continue into more words', () => {
    // Prepare
    const head = '<meta property="og:title" content="Der Purzelbaum (2021/5) und andere Kunststücke">';
    const body = '<h2>Der Purzelbaum</h2>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Der Purzelbaum (2021/5) und andere Kunststücke');
  });
});

describe('title: a headline set in a classed block instead of a heading', () => {
  it('takes a headline-classed <div> on a page with no <h1> and only a <title>', () => {
    // Prepare
    const head = '<title>Magic Cleaning | Mode ♥ Magazin</title>';
    const body =
      '<div class="l-headline"><span class="l-bold">Die besten Tricks für Kleiderschrank &amp; Co.</span></div>' +
      '<p>Aufräumen nach Plan: so bleibt der Schrank ordentlich.</p>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Die besten Tricks für Kleiderschrank & Co.');
  });

  it('keeps the og:title when the page has title metadata', () => {
    // Prepare
    const head = '<meta property="og:title" content="Magic Cleaning">';
    const body = '<div class="teaser-headline">Zehn Tipps für den Frühjahrsputz</div>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Magic Cleaning');
  });
});

describe('title: a page-title-classed heading', () => {
  it('takes the page-title heading over a later <h2> when the title fields disagree with each other', () => {
    // Prepare
    const head =
      '<title>Was ist anders als bei anderen?</title>' +
      '<meta property="og:title" content="Den Vertrieb auslagern - Anders als andere">';
    const body =
      '<h2 class="sp-page-title-heading">Gut zu Wissen</h2><h3 class="sp-page-title-sub-heading">alles außer gewöhnlich</h3>' +
      '<h2>... im Wettbewerb - Alles außer gewöhnlich</h2>';

    // Act
    const meta = read(head, body);

    // Assess
    expect(meta.title).toBe('Gut zu Wissen');
  });
});
