#pragma once

#include "AppServices.h"

#include <QObject>
#include <QTimer>

namespace Pixapi {

struct GenerationOutcome;

// `pixapi-studio --self-test`: starts the embedded sandbox, generates one image with the first image model and
// checks that it landed in the library (file on disk and row in the index). No window is shown.
class SelfTest : public QObject
{
    Q_OBJECT

public:
    explicit SelfTest(AppServices services, QObject* parent = nullptr);

    void start(int timeoutMs = 60'000);

Q_SIGNALS:
    // `summary` is the one line printed for the user.
    void finished(bool ok, const QString& summary);

private:
    void generate();
    void check(const GenerationOutcome& outcome);
    void finish(bool ok, const QString& summary);

    AppServices m_services;
    QTimer m_timeout;
    int m_countBefore = 0;
    bool m_done = false;
};

} // namespace Pixapi
