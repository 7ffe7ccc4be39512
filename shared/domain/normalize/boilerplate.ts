/** One-line page furniture recognised by its words, in the languages outlets commonly use. */

/** A line that ends an article: comments, related stories, "read more" lists. */
export const TERMINATOR =
  /^(?:\d+\s+)?(?:comments?|kommentare?|leserkommentare|commentaires?|réactions|comentarios?|commenti|comentários|reacties|komentarze|related(?: articles| stories| news| content)?|more (?:stories|news|on this story)|read (?:more|next|also)|also read|you (?:may|might) also like|recommended(?: for you| stories)?|most (?:read|popular)|trending|weitere artikel|mehr zum thema|das könnte sie auch interessieren|auch interessant|lesen sie auch|à lire aussi|lire aussi|sur le même sujet|dans la même rubrique|te puede interesar|lee también|noticias relacionadas|más noticias|leggi anche|potrebbe interessarti|leia também|veja também)(?:\s*\(\d+\))?\s*:?$/i;

// Share bars, ad labels and other one-line furniture that is never article text.
const FURNITURE_WORD =
  /^(?:share(?: this)?(?: article| story| on)?|teilen|artikel teilen|partager|partagez|compartir|compartilhe|condividi|delen|tweet|facebook|twitter|x|whatsapp|telegram|linkedin|reddit|pinterest|e-?mail|mail|print|drucken|imprimer|imprimir|stampa|copy link|link kopieren|copier le lien|copiar enlace|advertisement|advertising|sponsored|anzeige|werbung|publicité|publicidad|pubblicità|listen|anhören|écouter|escuchar|save|merken|follow|folgen|suivre|seguir|subscribe|abonnieren|s'abonner|suscríbete)$/i;

/** True for share bars, ad labels and the like: every part of the line is a furniture word. */
export function isFurniture(block: string): boolean {
  if (block.length > 120) return false;
  const parts = block
    .split(/\s*[|·•,/]\s*|\s{2,}|\s+(?=\p{Lu})/u)
    .map((p) => p.replace(/[:\s]+$/, ''))
    .filter((p) => p !== '');
  return parts.length > 0 && parts.every((p) => FURNITURE_WORD.test(p));
}
