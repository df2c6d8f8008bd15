#include "LeakScan.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QUrl>
#include <QUuid>

namespace Pixapi::LeakScan {

namespace {

void addForm(QList<Form>& forms, const QString& name, const QByteArray& bytes)
{
    if (bytes.size() < 8) // shorter needles would match by chance in binary files
        return;
    for (const Form& existing : std::as_const(forms)) {
        if (existing.bytes == bytes)
            return;
    }
    forms.append({name, bytes});
}

QByteArray lowerCaseHexEscapes(QByteArray percentEncoded)
{
    for (qsizetype i = 0; i + 2 < percentEncoded.size(); ++i) {
        if (percentEncoded.at(i) == '%') {
            percentEncoded[i + 1] = char(QChar::toLower(char16_t(percentEncoded.at(i + 1))));
            percentEncoded[i + 2] = char(QChar::toLower(char16_t(percentEncoded.at(i + 2))));
        }
    }
    return percentEncoded;
}

} // namespace

QList<Form> formsOf(const QString& label, const QString& secret)
{
    QList<Form> forms;
    const QByteArray utf8 = secret.toUtf8();
    addForm(forms, label + QStringLiteral(" as text"), utf8);

    // Base64 of anything that contains the secret holds, depending on the secret's offset modulo 3, one of three
    // strings: the groups made only of the secret's bytes.
    for (int offset = 0; offset < 3; ++offset) {
        const QByteArray padded = QByteArray(offset, 'x') + utf8;
        const qsizetype first = (offset + 2) / 3 * 4;
        const qsizetype end = padded.size() / 3 * 4;
        for (const auto alphabet : {QByteArray::Base64Encoding, QByteArray::Base64UrlEncoding}) {
            const QByteArray encoded = padded.toBase64(alphabet);
            addForm(forms, label + QStringLiteral(" in base64 (offset %1)").arg(offset),
                    encoded.mid(first, end - first));
        }
    }

    const QByteArray percent = QUrl::toPercentEncoding(secret);
    addForm(forms, label + QStringLiteral(" percent-encoded"), percent);
    addForm(forms, label + QStringLiteral(" percent-encoded (lower case)"), lowerCaseHexEscapes(percent));
    QByteArray json = utf8;
    addForm(forms, label + QStringLiteral(" JSON-escaped"), json.replace("/", "\\/"));

    QByteArray utf16le;
    QByteArray utf16be;
    for (const QChar c : secret) {
        utf16le.append(char(c.unicode() & 0xff)).append(char(c.unicode() >> 8));
        utf16be.append(char(c.unicode() >> 8)).append(char(c.unicode() & 0xff));
    }
    addForm(forms, label + QStringLiteral(" as UTF-16LE"), utf16le);
    addForm(forms, label + QStringLiteral(" as UTF-16BE"), utf16be);
    return forms;
}

QStringList find(const QByteArray& data, const QList<Form>& forms)
{
    QStringList found;
    for (const Form& form : forms) {
        if (data.contains(form.bytes))
            found << form.name;
    }
    return found;
}

QStringList findInFiles(const QString& dir, const QList<Form>& forms, const QStringList& skipDirs, int* filesScanned)
{
    QStringList hits;
    int scanned = 0;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const bool skipped = std::any_of(skipDirs.cbegin(), skipDirs.cend(), [&path](const QString& skip) {
            return path.startsWith(QDir::cleanPath(skip) + QLatin1Char('/'));
        });
        if (skipped || !QFileInfo(path).isFile()) // sockets and FIFOs are not files to read
            continue;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            hits << path + QStringLiteral(": cannot be read (%1)").arg(file.errorString());
            continue;
        }
        ++scanned;
        for (const QString& form : find(file.readAll(), forms))
            hits << path + QStringLiteral(": ") + form;
    }
    if (filesScanned)
        *filesScanned = scanned;
    return hits;
}

Canary Canary::make(const QString& what)
{
    const QString hex = QString::fromLatin1(QUuid::createUuid().toRfc4122().toHex());
    Canary canary;
    canary.fragment = hex.left(16);
    canary.key = QStringLiteral("sk-live-LEAKCANARY-") + what + QLatin1Char('-') + canary.fragment + QLatin1Char('+')
                 + hex.mid(16, 8) + QLatin1Char('/') + hex.mid(24, 8);
    return canary;
}

QList<Form> Canary::forms(const QString& label) const
{
    QList<Form> all = formsOf(label, key);
    all += formsOf(label + QStringLiteral(" (fragment)"), fragment);
    return all;
}

} // namespace Pixapi::LeakScan
