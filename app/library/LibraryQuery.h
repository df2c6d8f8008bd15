#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace Pixapi {

// What Library::search() looks for. Every filter set is combined with AND; an empty or default filter matches all.
struct LibraryQuery
{
    // Every order is total, so pages (limit / offset) never overlap or skip. "Newest first" below means: created_at
    // descending, then request id descending (images of one request share created_at and stay together), then the
    // position in the response (params.index) ascending, then id descending.
    enum class Sort {
        Newest,
        Oldest,           // created_at, request id, response position, id: all ascending
        ModelThenNewest,  // model id case-insensitively (ids differing only in case: uppercase run first), newest first
                          // within a model
        PromptThenNewest, // by exact prompt: groups whose newest matching image is newest come first, equal ones by
                          // prompt (binary order); newest first within a prompt. Filters apply before grouping.
    };

    QString text;       // user words, matched against prompt, model and tags (see matchExpression)
    QStringList models; // any of these model ids; empty = all models
    QDateTime from;     // created at or after (inclusive); invalid = open
    QDateTime to;       // created before (exclusive); invalid = open
    bool favoritesOnly = false;
    int minStars = 0;            // 0..5
    QString tag;                 // has this tag (case-insensitive); empty = any
    QString collection;          // is in the collection of this name (case-insensitive); empty = any
    bool includeTrashed = false; // trashed images are left out unless this is set
    bool trashOnly = false;      // only trashed images (wins over includeTrashed)
    Sort sort = Sort::Newest;
    int limit = 200; // <= 0: no limit
    int offset = 0;

    // The FTS5 MATCH expression for user text: every whitespace-separated word becomes a quoted phrase (so quotes,
    // AND/OR/NOT/NEAR, '*', '^', ':' and parentheses are plain text), the last one a prefix match. Words without a
    // letter or digit are dropped, as the tokenizer would drop them. Empty when no word is left (no text filter).
    static QString matchExpression(const QString& text);
};

} // namespace Pixapi
