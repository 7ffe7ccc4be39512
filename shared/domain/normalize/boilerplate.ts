/** Page furniture recognised by its words, in the languages outlets commonly use. */

/** A line that ends an article: comments, related stories, "read more" lists. */
export const TERMINATOR = new RegExp(
  `^(?:\\d+\\s+)?(?:${[
    // comments
    'comments?',
    'leave a (?:comment|reply)',
    'add (?:a )?comment',
    'post a comment',
    'no comments(?: yet)?',
    'comments? (?:are )?closed',
    'view (?:all )?comments',
    'kommentare (?:sind )?geschlossen',
    'kommentieren',
    'commentaires? fermés',
    'join the (?:conversation|discussion)',
    'kommentare?',
    'leserkommentare',
    'kommentar(?:e)? (?:hinzufügen|schreiben|verfassen)',
    'derzeit (?:noch )?keine kommentare',
    'commentaires?',
    'réactions',
    'laisser un commentaire',
    'comentarios?',
    'deja (?:un|tu) comentario',
    'commenti',
    'comentários',
    'reacties',
    'komentarze',
    // related / more
    'related(?: articles| stories| news| content| posts| coverage| topics)?',
    'more (?:stories|news|articles|on this (?:story|topic)|from [\\p{L} ]{1,30}|to read)',
    'read (?:more|next|also)',
    'also read',
    'see also',
    'you (?:may|might) (?:also )?(?:like|be interested in|have missed)',
    'recommended(?: for you| stories| articles| reading)?',
    'most (?:read|popular|viewed|shared)',
    'trending(?: now| stories)?',
    "editor'?s picks",
    'weitere (?:artikel|beiträge|themen|nachrichten|meldungen|pressemitteilungen)(?: [\\p{L} ]{1,40})?',
    'mehr (?:zum thema|themen|aus [\\p{L} ]{1,30}|zu diesem thema|dazu)',
    'das könnte (?:sie|dich|euch) (?:auch |ebenfalls )?interessieren',
    'schon gelesen',
    'zum weiterlesen',
    'entdecken sie (?:jetzt|mehr)',
    'entdecke (?:jetzt|mehr|weitere [\\p{L}]+)',
    'verwandte (?:artikel|beiträge|themen)',
    'empfehlungen aus [\\p{L} ]{1,30}',
    'aktuelle (?:berichte|artikel|beiträge|meldungen) aus [\\p{L} ]{1,30}',
    'vorschau auf den nächsten artikel',
    'mehr (?:kolumnen|artikel|beiträge|news|nachrichten)(?: (?:auf|von|aus) [\\p{L}\\d ]{1,30})?',
    'mehr zu [\\p{L} ]{1,40}',
    'alle (?:nachrichten|artikel|beiträge|meldungen|news) (?:zu|zum|zur|aus|über) [\\p{L} ]{1,40}',
    'weitere (?:infos|tipps|\\p{L}+tipps)(?: [\\p{L} ]{1,30})?',
    'weitere informationen (?:zu|zum|zur) [\\p{L} ]{1,40}',
    'kommende (?:events|veranstaltungen|termine)',
    'sponsoren(?: und partner)?',
    'unsere partner(?: [\\p{L} -]{1,40})?',
    'über diese (?:reihe|serie)',
    'zusatzinformationen',
    'originalpublikation',
    '(?:audios? et )?vidéos? sur le (?:même )?sujet',
    'siehe auch',
    'quellenangaben',
    'quellen(?: ausblenden| anzeigen)?',
    'war (?:der|dieser) (?:artikel|beitrag) (?:nützlich|hilfreich)',
    'wie (?:bewerten|fanden) sie diesen (?:artikel|beitrag)',
    'was this (?:article|page|post) (?:helpful|useful)',
    'explore further',
    'latest on',
    'sie könnten auch an folgenden artikeln interessiert sein',
    'auch interessant',
    'lesen sie (?:auch|mehr)',
    'empfohlene (?:beiträge|artikel)',
    'meist(?:gelesen|diskutiert|geklickt)e?(?: artikel| beiträge| news)?',
    'meist gelesen',
    'top[- ]?artikel',
    'für (?:dich|sie) empfohlen',
    'videos? zum thema',
    'beiträge aus dem forum',
    'ähnliche (?:artikel|beiträge|themen)',
    'à lire (?:aussi|également)',
    'lire (?:aussi|également|la suite)',
    'vous aimerez (?:aussi|également|peut-être aussi)',
    'à découvrir(?: aussi| également)?',
    'sur le même sujet',
    'dans la même rubrique',
    'les plus lus',
    'articles? similaires',
    'nos (?:dernières publications|derniers articles)',
    'te puede interesar',
    'lee también',
    'noticias relacionadas',
    'artículos relacionados(?: [\\p{L}\\d. ]{1,30})?',
    'contenido relacionado',
    'más noticias',
    'lo más (?:leído|visto)',
    'más sobre [\\p{L} ]{1,40}',
    'leggi anche',
    'potrebbe interessarti',
    'articoli correlati',
    'leia também',
    'veja também',
    'notícias relacionadas',
    'zobacz (?:też|także|również)',
    'czytaj (?:też|także|więcej)',
    // contact / about boxes that close press releases
    'kontakt',
    'pressekontakt',
    'weitere informationen',
    'über (?:uns|den autor|die autorin)',
    'about the author',
  ].join('|')})(?:\\s*\\(\\d+\\))?\\s*[:»›>.…?!]*$`,
  'iu',
);

// Share bars, ad labels and other one-line furniture that is never article text.
const FURNITURE_WORD = new RegExp(
  `^(?:${[
    'share(?: this)?(?: article| story| post| page| on)?',
    'teilen(?: sie (?:dies|diesen artikel)(?: mit)?)?',
    'artikel teilen',
    'news teilen',
    'teilen mit',
    "partager(?: (?:cet|l\u2019|l')article)?",
    'partagez',
    'compartir(?: en)?',
    'compártelo',
    'compartilhe',
    'condividi',
    'delen',
    'udostępnij',
    'tweet',
    'facebook',
    'twitter',
    'x',
    'whatsapp',
    'telegram',
    'linkedin',
    'xing',
    'reddit',
    'pinterest',
    'flipboard',
    'e-?mail',
    'mail',
    'print',
    'drucken',
    'imprimer',
    'imprimir',
    'stampa',
    'drukuj',
    'copy link',
    'link kopieren',
    'copier le lien',
    'copiar enlace',
    'advertisement',
    'advertising',
    'sponsored',
    '-? ?anzeige ?-?',
    'werbung',
    'publicité',
    'publicidad',
    'pubblicità',
    'reklama',
    'listen(?: to this article)?',
    'anhören',
    'artikel anhören',
    'écouter',
    'escuchar',
    'save',
    'merken',
    'follow(?: us)?',
    'folgen',
    'suivre',
    'seguir',
    'subscribe',
    'abonnieren',
    "s'abonner",
    'suscríbete',
    'wird geladen',
    'loading',
    'chargement',
    'cargando',
    'bild anzeigen',
    'bild schließen',
    'vergrößern',
    'rezept drucken',
    'pinterest (?:speichern|merken|teilen|pinnen)',
    // prepositions a split leaves alone ("Bei | Pinterest speichern")
    'bei',
    'auf',
    'on',
    'via',
    'pin it',
    'gefällt mir',
    'like',
    'jetzt teilen',
    'kommentarfeed',
    'trackback(?:-url)?',
    'permalink',
    'permalien',
    'kommentare geschlossen',
    'comments (?:are )?closed',
    'view comments',
    'inhaltsverzeichnis',
    'table of contents',
    'sommaire',
    'índice',
    'schlagworte',
    'schlagwörter',
    'stichworte',
    'tags',
    'temas',
    'etiquetas',
    'zoom',
    'vergrößern',
    'credit',
    'credits?',
    'foto',
    'photo',
    'image',
    'bild',
    'weiterlesen',
    'mehr',
    'more',
    'top',
    'back to top',
    'nach oben',
    'zurück',
    'back',
    'retour',
    'volver',
    'ok',
    'schließen',
    'close',
    'fermer',
    'cerrar',
  ].join('|')})$`,
  'iu',
);

/** True for share bars, ad labels and the like: every part of the line is a furniture word. */
export function isFurniture(block: string): boolean {
  if (block.length > 120) return false;
  const parts = block
    .split(/\s*[|·•,/:]\s*|\s{2,}|\s+(?=\p{Lu})/u)
    .map((p) => p.replace(/[:\s.…!]+$/, '').replace(/^[-–\s]+|[-–\s]+$/g, ''))
    .filter((p) => p !== '');
  return parts.length > 0 && parts.every((p) => FURNITURE_WORD.test(p));
}

// Lines that label, date or credit the page rather than say something: "Foto: AFP",
// "Aktualisiert: 03.04.2020", "Themen: Klima, Energie", "Anzeige, enthält Affiliate Links".
const CREDIT_LINE =
  /^(?:(?:photo(?:graph)?|photographed|picture|image|foto|bild) by\b|(?:fotos?|photos?|photograph|picture|bild(?:er)?|titelbild|beitragsbild|headerbild|image|credits?|crédits? photos?|crédit|quelle|source|fuente)\s*(?:[:©/|]|$))/iu;
// A caption's credit closing a short block: "… des iPhones 14. © Apple", "… (mlharing / iStock.com)".
const TRAILING_CREDIT =
  /(?:©|\((?:fotos?|photos?|credit|bild|quelle|source)\s*:)|(?:\b(?:fotos?|photos?|bild|credit|crédit|fuente|quelle)\s*:\s*[^.:]{1,40}|\/\s*(?:istock(?:photo)?|getty images|shutterstock|adobe ?stock|pixelio|dpa|afp|reuters|ap)(?:\.com|\.de)?\)?)$/iu;
const LABEL_LINE =
  /^(?:themen|thema|kategorien?|category|categories|catégories?|rubrik|rubriken|tags?|schlagworte|schlagwörter|stichworte|temas|etiquetas|mots-clés|posted in|filed under|abgelegt unter)\s*:/iu;
const DISCLOSURE_LINE =
  /^[*\s-]*(?:anzeige|werbung|advertisement|sponsored(?: content)?|publicidad|publicité)\s*(?:[-–,.:|]|$)/iu;
// Publication labels and dates with nothing else: "Veröffentlicht am 12.12.2022, 08:30 Uhr".
const DATE_LABEL =
  /(?:veröffentlicht|veröffentlichung|publiziert|aktualisiert|zuletzt aktualisiert|erstellt|geändert|stand|published|updated|posted|last modified|created|release date|publié|mis à jour|publicado|actualizado|opublikowano|aggiornato|pubblicato)(?: (?:am|on|le|el|il))?\s*:?/giu;
const MONTH =
  /\b(?:jan(?:uary|uar|vier)?|feb(?:ruary|ruar)?|févr(?:ier)?|mär(?:z)?|mar(?:ch|s|zo|ca)?|apr(?:il|ile)?|avr(?:il)?|abr(?:il)?|may|mai|mayo|maggio|jun(?:e|i|io)?|juin|jul(?:y|i|io)?|juil(?:let)?|aug(?:ust)?|août|ago(?:sto)?|sep(?:t(?:ember|embre|iembre)?)?|okt(?:ober)?|oct(?:ober|obre|ubre)?|ott(?:obre)?|nov(?:ember|embre|iembre)?|de[cz](?:ember|embre|iembre)?|déc(?:embre)?|dic(?:iembre)?|dic(?:embre)?|stycz\p{L}*|lut\p{L}*|marc\p{L}*|kwie\p{L}*|maj\p{L}*|czerw\p{L}*|lip\p{L}*|sierp\p{L}*|wrze\p{L}*|paźdz\p{L}*|listop\p{L}*|grud\p{L}*)\.?(?=\s|\d|$|,)/giu;
const WEEKDAY =
  /\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo)\b/giu;

const DATE_IN_TEXT =
  /\b\d{1,2}\.\s?\d{1,2}\.\s?(?:19|20)\d{2}\b|\b(?:19|20)\d{2}[-/]\d{1,2}[-/]\d{1,2}\b|\b\d{1,2}\/\d{1,2}\/(?:19|20)\d{2}\b|\b\d{1,2}\.? (?:\p{L}{3,10}) (?:19|20)\d{2}\b|\b\p{L}{3,10}\.? \d{1,2}, (?:19|20)\d{2}\b/u;

const META_LABEL =
  /^(?:veröffentlicht(?: am)?|veröffentlichung|publiziert|aktualisiert(?: am)?|zuletzt aktualisiert|erstellt(?: am)?|geändert|stand|published|updated|posted|last modified|created|release date|publié(?: le)?|mis à jour|publicado|actualizado|opublikowano|aggiornato|pubblicato|verfasst von|von|by|category|categories|kategorie|news date|date|datum)$/iu;

/** True for a short line that is a date plus a label or two: "02.02.2022 A-Frauen", "Energie 12.12.2022, 08:30 Uhr". */
function isDatedMeta(text: string): boolean {
  if (text.length > 90) return false;
  const m = DATE_IN_TEXT.exec(text);
  if (m === null) return false;
  // "Termin: 29.02.2020, 19 Uhr" and "Einsendeschluss: 03.11.2019" are the article's own facts.
  const label = /^([\p{L} ]{2,30}):/u.exec(text)?.[1] ?? null;
  if (label !== null && !META_LABEL.test(label.trim())) return false;
  const rest = (text.slice(0, m.index) + ' ' + text.slice(m.index + m[0].length))
    .replace(DATE_LABEL, ' ')
    .replace(/\b\d{1,2}[:.]\d{2}(?:\s?(?:uhr|h|am|pm))?\b/giu, ' ')
    .replace(
      /\b(?:verfasst von|von|by|par|por|categories|category|kategorie|news date|date|datum|um|at)\b\s*:?/giu,
      ' ',
    )
    .replace(/[|,:–—-]+/gu, ' ')
    .trim();
  return rest.split(/\s+/).filter((w) => w !== '').length <= 3 && rest.length <= 40;
}

/** True for a line that is only a date, a publication label, or both. */
function isDateLine(text: string): boolean {
  if (text.length > 60) return false;
  const rest = text
    .replace(DATE_LABEL, ' ')
    .replace(WEEKDAY, ' ')
    .replace(MONTH, ' ')
    .replace(/\b(?:uhr|h|am|pm|um|at|à|a las|o godz\.?|de|del|du|le|el|den|der|the|of|on)\b/giu, ' ')
    .replace(/[\d\s.,:/|–—()-]+/gu, '');
  return rest === '' && (/\d/.test(text) || text.replace(DATE_LABEL, '').trim().replace(/[:.]$/, '') === '');
}

// A call to subscribe, follow, download the app or donate: the outlet talking about itself.
const PROMO =
  /\b(?:subscribe|subscribers?|subscription|sign(?:ing)? up for|newsletter|follow (?:us|[\p{L}.]+(?: [\p{L}.]+)? on (?:twitter|facebook|instagram|telegram|x))|download (?:the|our) [\p{L} ]{0,30}apps?|apps? for (?:ios|android)|abonnieren|abonniere|abonnez|suscríbete|suscribirse|suscripción|síguenos|siguenos|nuestro canal de (?:youtube|telegram|whatsapp)|tenemos canal de|zapraszamy (?:też )?do subskrypcji|unterstütze[n]? (?:sie )?(?:uns|unsere)|jede (?:kleine )?spende|support (?:us|our journalism|independent journalism)|consider supporting|sign up here|(?:submit|write) (?:a|your) letter to the editor|straight to your phone)\b/iu;

/**
 * True for a short line that is page furniture by its words rather than its markup: photo
 * credits, category/tag labels, ad disclosures, bare dates and publication labels, and calls to
 * subscribe, follow, download the app or donate.
 */
export function isPageNote(block: string): boolean {
  if (block.length > 220) return false;
  if (
    block.length <= 100 &&
    (CREDIT_LINE.test(block) || LABEL_LINE.test(block) || DISCLOSURE_LINE.test(block))
  )
    return true;
  if (isDateLine(block) || isDatedMeta(block)) return true;
  if (block.length <= 200 && TRAILING_CREDIT.test(block)) return true;
  return PROMO.test(block);
}
