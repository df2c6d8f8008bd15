#include "sandbox/SandboxMultipart.h"

#include <QPair>

#include <optional>

namespace Pixapi {

namespace {

using Parsed = Result<SandboxMultipart::Parts, QString>;

// A header value "type; name=value; name=\"quoted\"": the lower-cased first token and its parameters.
struct HeaderValue
{
    QByteArray value;
    QList<QPair<QByteArray, QByteArray>> params; // names lower-cased

    const QByteArray* param(const char* name) const
    {
        for (const auto& p : params) {
            if (p.first == name)
                return &p.second;
        }
        return nullptr;
    }
};

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

HeaderValue parseHeaderValue(QByteArrayView text)
{
    HeaderValue out;
    const qsizetype size = text.size();
    qsizetype i = text.indexOf(';');
    if (i < 0)
        i = size;
    out.value = text.first(i).trimmed().toByteArray().toLower();
    while (i < size) {
        ++i; // the ';'
        qsizetype end = i;
        while (end < size && text[end] != '=' && text[end] != ';')
            ++end;
        const QByteArray name = text.sliced(i, end - i).trimmed().toByteArray().toLower();
        i = end;
        QByteArray value;
        if (i < size && text[i] == '=') {
            ++i;
            while (i < size && isBlank(text[i]))
                ++i;
            const bool quoted = i < size && text[i] == '"';
            if (quoted) {
                for (++i; i < size && text[i] != '"'; ++i) {
                    if (text[i] == '\\' && i + 1 < size)
                        ++i;
                    value += text[i];
                }
            }
            end = i;
            while (end < size && text[end] != ';')
                ++end;
            if (!quoted)
                value = text.sliced(i, end - i).trimmed().toByteArray();
            i = end;
        }
        if (!name.isEmpty())
            out.params.append({name, value});
    }
    return out;
}

// RFC 2046 bchars: digits, letters, "'()+_,-./:=?" and space (not last).
bool validBoundary(QByteArrayView boundary)
{
    if (boundary.isEmpty() || boundary.size() > SandboxMultipart::MaxBoundary || boundary.back() == ' ')
        return false;
    static constexpr QByteArrayView extra("'()+_,-./:=? ");
    for (const char c : boundary) {
        const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alnum && !extra.contains(c))
            return false;
    }
    return true;
}

struct Delimiter
{
    enum Kind { Part, Close, Missing, Truncated };
    Kind kind = Missing;
    qsizetype contentEnd = 0; // where the content before the delimiter ends (its CRLF or LF excluded)
    qsizetype next = 0;       // the first byte after the delimiter line
};

// The next delimiter line ("--boundary" at the body start or after LF, then "--" or padding and a line end) at or
// after `from`. A line that only starts like a delimiter is content; the search goes on after it (linear).
Delimiter nextDelimiter(QByteArrayView body, QByteArrayView dashBoundary, QByteArrayView lineBoundary, qsizetype from)
{
    const qsizetype size = body.size();
    for (qsizetype at = from;;) {
        Delimiter d;
        qsizetype start = 0; // the "--" of the delimiter
        if (at == 0 && body.startsWith(dashBoundary)) {
            d.contentEnd = 0;
        } else {
            const qsizetype lf = body.indexOf(lineBoundary, at);
            if (lf < 0)
                return d; // Missing
            start = lf + 1;
            d.contentEnd = lf > from && body[lf - 1] == '\r' ? lf - 1 : lf;
        }
        qsizetype p = start + dashBoundary.size();
        if (p + 2 <= size && body[p] == '-' && body[p + 1] == '-') {
            d.kind = Delimiter::Close;
            d.next = p + 2;
            return d;
        }
        if (p + 1 == size && body[p] == '-') {
            d.kind = Delimiter::Truncated;
            return d;
        }
        while (p < size && isBlank(body[p]))
            ++p;
        if (p == size || (body[p] == '\r' && p + 1 == size)) {
            d.kind = Delimiter::Truncated;
            return d;
        }
        if (body[p] == '\n' || (body[p] == '\r' && body[p + 1] == '\n')) {
            d.kind = Delimiter::Part;
            d.next = p + (body[p] == '\n' ? 1 : 2);
            return d;
        }
        at = start + 1; // not a delimiter after all ("--boundaryX"): keep looking past this line start
    }
}

QString truncatedError()
{
    return QStringLiteral("The multipart body ends before its closing boundary (truncated).");
}

// Reads the header lines of part `index` from `pos`; sets `contentStart` past the blank line that ends them.
std::optional<QString> readHeaders(QByteArrayView body, qsizetype pos, int index, SandboxMultipartPart& part,
                                   qsizetype& contentStart)
{
    // Look no further than the cap: a part whose headers never end costs at most MaxHeaderBlock bytes of scanning.
    const qsizetype available = body.size() - pos;
    const QByteArrayView window = body.sliced(pos, qMin(available, SandboxMultipart::MaxHeaderBlock + 2));
    bool named = false;
    for (qsizetype lineStart = 0;;) {
        const qsizetype lf = window.indexOf('\n', lineStart);
        if (lf < 0) {
            if (window.size() < available)
                return QStringLiteral("The headers of part %1 are longer than %2 bytes.")
                    .arg(index)
                    .arg(SandboxMultipart::MaxHeaderBlock);
            return truncatedError();
        }
        QByteArrayView line = window.sliced(lineStart, lf - lineStart);
        if (line.endsWith('\r'))
            line.chop(1);
        lineStart = lf + 1;
        if (line.isEmpty()) {
            contentStart = pos + lineStart;
            break;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return QStringLiteral("Part %1 has a malformed header line.").arg(index);
        const QByteArrayView name = line.first(colon).trimmed();
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        if (name.compare("Content-Disposition", Qt::CaseInsensitive) == 0) {
            const HeaderValue disposition = parseHeaderValue(value);
            if (const QByteArray* n = disposition.param("name")) {
                part.name = *n;
                named = !n->isEmpty();
            }
            if (const QByteArray* f = disposition.param("filename")) {
                part.filename = *f;
                part.hasFilename = true;
            }
        } else if (name.compare("Content-Type", Qt::CaseInsensitive) == 0) {
            part.contentType = value.toByteArray();
        }
    }
    if (!named)
        return QStringLiteral("Part %1 has no name (Content-Disposition: form-data; name=\"...\").").arg(index);
    return std::nullopt;
}

} // namespace

Result<QByteArray, QString> SandboxMultipart::boundaryOf(QByteArrayView contentType)
{
    using R = Result<QByteArray, QString>;
    const HeaderValue header = parseHeaderValue(contentType);
    if (header.value != "multipart/form-data") {
        const QString got = header.value.isEmpty() ? QStringLiteral("none") : QString::fromLatin1(header.value);
        return R::failure(
            QStringLiteral("The Content-Type must be multipart/form-data (got %1).").arg(got.left(MaxBoundary)));
    }
    const QByteArray* boundary = header.param("boundary");
    if (!boundary)
        return R::failure(QStringLiteral("The multipart/form-data Content-Type has no boundary parameter."));
    if (!validBoundary(*boundary)) {
        return R::failure(QStringLiteral("The multipart boundary is invalid: it must be 1 to %1 characters of "
                                         "letters, digits and '()+_,-./:=? (RFC 2046).")
                              .arg(MaxBoundary));
    }
    return *boundary;
}

Result<SandboxMultipart::Parts, QString> SandboxMultipart::parseBody(QByteArrayView body, QByteArrayView boundary)
{
    if (!validBoundary(boundary))
        return Parsed::failure(QStringLiteral("The multipart boundary is invalid."));
    const QByteArray dashBoundary = "--" + boundary.toByteArray();
    const QByteArray lineBoundary = '\n' + dashBoundary;

    Delimiter d = nextDelimiter(body, dashBoundary, lineBoundary, 0);
    if (d.kind == Delimiter::Missing)
        return Parsed::failure(QStringLiteral("The body has no multipart boundary line (--boundary)."));
    Parts parts;
    while (d.kind == Delimiter::Part) {
        if (parts.size() == MaxParts)
            return Parsed::failure(QStringLiteral("The multipart body has more than %1 parts.").arg(MaxParts));
        SandboxMultipartPart part;
        qsizetype contentStart = 0;
        if (const std::optional<QString> error = readHeaders(body, d.next, int(parts.size()) + 1, part, contentStart))
            return Parsed::failure(*error);
        // From the LF that ended the headers: an empty part may share it with its delimiter.
        d = nextDelimiter(body, dashBoundary, lineBoundary, contentStart - 1);
        if (d.kind == Delimiter::Part || d.kind == Delimiter::Close)
            part.body = body.sliced(contentStart, qMax<qsizetype>(0, d.contentEnd - contentStart)).toByteArray();
        parts.append(std::move(part));
    }
    if (d.kind != Delimiter::Close)
        return Parsed::failure(truncatedError());
    return parts; // the epilogue after the closing boundary is ignored
}

Result<SandboxMultipart::Parts, QString> SandboxMultipart::parse(QByteArrayView contentType, QByteArrayView body)
{
    const auto boundary = boundaryOf(contentType);
    if (!boundary)
        return Parsed::failure(boundary.error());
    return parseBody(body, boundary.value());
}

} // namespace Pixapi
