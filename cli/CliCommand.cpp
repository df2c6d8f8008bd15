#include "CliCommand.h"

namespace Pixapi {

void CliCommand::finish(int exitCode)
{
    if (m_done)
        return;
    m_done = true;
    Q_EMIT finished(exitCode);
}

} // namespace Pixapi
