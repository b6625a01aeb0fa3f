package id.iklan.http;

import id.iklan.context.Article;
import id.iklan.selection.PageRequest;

/**
 * A parsed {@code POST /v1/ads}: what selection needs, plus the request's own options.
 *
 * @param article the page's title and text for contextual keywords, or {@code null} when it sent
 *     neither
 * @param explainAsked the body asked for an explanation (honoured only for admins)
 * @param tmaxMs the deadline the body asked for, or 0 for the configured default
 */
record AdRequest(PageRequest request, Article article, boolean explainAsked, int tmaxMs) {}
