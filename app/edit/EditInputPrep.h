#pragma once

#include "api/ApiTypes.h"
#include "edit/EditCapability.h"
#include "edit/EditMask.h"
#include "support/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QFuture>
#include <QList>
#include <QString>

class QThreadPool;

namespace Pixapi {

// One input image as the user chose it: a file, or encoded bytes held in memory (the clipboard, or an image dropped
// from a browser).
struct EditSource
{
    QString filePath; // read from disk when set
    QByteArray bytes; // the encoded image when there is no file
    QString name;     // for messages and the uploaded file name; empty: the file's name, or "Pasted image"

    static EditSource fromFile(const QString& path);
    static EditSource fromBytes(const QByteArray& bytes, const QString& name = {});
    // The name that messages use.
    QString displayName() const;

    Q_DECLARE_TR_FUNCTIONS(Pixapi::EditSource)
};

// Why the inputs cannot be sent as chosen.
struct EditRefusal
{
    QString message;           // translated, and it names the file
    int sourceIndex = -1;      // the source concerned; -1 for the request as a whole or for the mask
    bool canDownscale = false; // true when preparing again with `downscale` would fix it (file too heavy or too large)
};

struct EditInputRequest
{
    QList<EditSource> sources; // in order; a mask applies to the first
    // The mask painted in the app, at the first source's size. A mask with nothing painted counts as no mask.
    EditMask mask;
    QByteArray maskPng;     // a mask file, used when `mask` is null; empty: no mask
    ModelInfo model;        // its edit capabilities and limits (see EditLimits)
    bool downscale = false; // shrink inputs that exceed the limits, instead of refusing them

    bool hasMask() const { return (!mask.isNull() && !mask.isEmpty()) || (mask.isNull() && !maskPng.isEmpty()); }
};

// Turns the chosen sources into the files of an edit request (EditInputs), after checking them against the model.
// Checks: the model takes edits (EditCapability), each source can be read and is a PNG, JPEG or WebP image that
// decodes, and each fits the byte and edge limits. A source within the limits is sent as its original bytes. With
// `downscale`, a source over a limit is scaled (never up) and re-encoded: as PNG when it has transparency,
// otherwise as JPEG. The mask is then scaled to the first image's new size. The MIME type always comes from the
// content, never from the file name.
class EditInputPrep
{
    Q_DECLARE_TR_FUNCTIONS(Pixapi::EditInputPrep)

public:
    // A file this large is refused before it is read; no image model takes it anyway.
    static constexpr qint64 MaxSourceBytes = 256LL * 1024 * 1024;
    // Above this many pixels an image is refused without being decoded: its 32-bit pixels would need 128 MiB, which
    // is QImageReader's default allocation limit. This also covers forged headers (50000 × 50000).
    static constexpr qint64 MaxSourcePixels = 32LL * 1024 * 1024;
    // Downscaling to fit the byte limit stops here and refuses.
    static constexpr int MinDownscaleEdge = 64;
    static constexpr int JpegQuality = 92;

    // Synchronous: for tests and for the worker thread. It decodes every image, so keep it off the UI thread.
    static Result<EditInputs, EditRefusal> prepare(const EditInputRequest& request);
    // prepare() on `pool` (default: backgroundPool()).
    static QFuture<Result<EditInputs, EditRefusal>> prepareAsync(EditInputRequest request, QThreadPool* pool = nullptr);
};

} // namespace Pixapi
