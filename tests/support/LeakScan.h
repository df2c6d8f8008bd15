#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace Pixapi::LeakScan {

// One way a secret can be written down, with a name for failure messages.
struct Form
{
    QString name;
    QByteArray bytes;
};

// Every form a secret takes on its way to a file or a log: as text (UTF-8), in base64 at any of the three byte
// alignments (standard and URL alphabet, as inside "Authorization: Basic …" or a base64 blob), percent-encoded (upper
// and lower case hex), JSON-escaped, and as UTF-16 LE and BE (how a QString sits in memory, hence in a core dump).
QList<Form> formsOf(const QString& label, const QString& secret);

// The names of the forms found in `data`.
QStringList find(const QByteArray& data, const QList<Form>& forms);

// "path: form" for every regular file under `dir` (hidden ones included, symbolic links not followed) that holds one
// of the forms; files under `skipDirs` are left out. `filesScanned` counts the files read.
QStringList findInFiles(const QString& dir, const QList<Form>& forms, const QStringList& skipDirs = {},
                        int* filesScanned = nullptr);

// A distinctive API key for a test: "sk-live-LEAKCANARY-<what>-<16 hex>+<8 hex>/<8 hex>", random per run. The '+' and
// '/' make its percent-encoded and JSON-escaped forms differ from the text. `fragment` is the 16 random hex digits:
// finding it alone means a partial leak (a key cut short, or masked only at its start).
struct Canary
{
    QString key;
    QString fragment;

    static Canary make(const QString& what);
    // formsOf(key) and formsOf(fragment).
    QList<Form> forms(const QString& label) const;
};

} // namespace Pixapi::LeakScan
