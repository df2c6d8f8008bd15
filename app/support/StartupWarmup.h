#pragma once

namespace Pixapi {

// Loads, on a pool thread, what the first window needs and Qt would otherwise load on the UI thread at first use:
// - the image format plugins: the first QImageReader for a format no plugin names (PNG: Qt's own menu bar icon
//   is one) opens every plugin and its libraries (TIFF, WebP, MNG, SVG, ...) to ask whether it reads the file;
// - the font database (fontconfig's scan of the installed fonts), which the first text measurement needs.
// Both are thread-safe in Qt and global to the process. Call right after the QGuiApplication exists, so the work
// overlaps with opening the library and building the window; the UI thread waits only for what is not done yet.
void warmUpInBackground();

} // namespace Pixapi
