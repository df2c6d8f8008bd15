<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>Pixapi::AccountsDialog</name>
    <message numerus="yes">
        <source>Connection works: %n model(s) available.</source>
        <translation>
            <numerusform>Connection works: %n model available.</numerusform>
            <numerusform>Connection works: %n models available.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::ApiError</name>
    <message numerus="yes">
        <source>Too many requests. Try again in %n second(s).</source>
        <translation>
            <numerusform>Too many requests. Try again in %n second.</numerusform>
            <numerusform>Too many requests. Try again in %n seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::ApiKeyDialog</name>
    <message numerus="yes">
        <source>Connected: %n model(s) available.</source>
        <translation>
            <numerusform>Connected: %n model available.</numerusform>
            <numerusform>Connected: %n models available.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::BatchFile</name>
    <message numerus="yes">
        <source>… and %n more problem(s)</source>
        <translation>
            <numerusform>… and %n more problem</numerusform>
            <numerusform>… and %n more problems</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::CompareSetupDialog</name>
    <message numerus="yes">
        <source>%n cell(s)</source>
        <translation>
            <numerusform>%n cell</numerusform>
            <numerusform>%n cells</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 · won %n board(s)</source>
        <translation>
            <numerusform>%1 · won %n board</numerusform>
            <numerusform>%1 · won %n boards</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n prompt(s)</source>
        <translation>
            <numerusform>%n prompt</numerusform>
            <numerusform>%n prompts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n model(s)</source>
        <translation>
            <numerusform>%n model</numerusform>
            <numerusform>%n models</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… and %n more</numerusform>
            <numerusform>… and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Edit the %n input image(s) of the prompt panel, with its mask</source>
        <translation>
            <numerusform>Edit the %n input image of the prompt panel, with its mask</numerusform>
            <numerusform>Edit the %n input images of the prompt panel, with its mask</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Edit the %n input image(s) of the prompt panel</source>
        <translation>
            <numerusform>Edit the %n input image of the prompt panel</numerusform>
            <numerusform>Edit the %n input images of the prompt panel</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::CostEstimate</name>
    <message numerus="yes">
        <source>%n credit(s)</source>
        <translation>
            <numerusform>%n credit</numerusform>
            <numerusform>%n credits</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) × %1 credits each</source>
        <translation>
            <numerusform>%n image × %1 credits each</numerusform>
            <numerusform>%n images × %1 credits each</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) × %1 credits each (%2)</source>
        <translation>
            <numerusform>%n image × %1 credits each (%2)</numerusform>
            <numerusform>%n images × %1 credits each (%2)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::EditCapability</name>
    <message numerus="yes">
        <source>%1 takes at most %n input image(s); %2 are chosen.</source>
        <translation>
            <numerusform>%1 takes at most %n input image; %2 are chosen.</numerusform>
            <numerusform>%1 takes at most %n input images; %2 are chosen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Takes up to %n input image(s), with a mask</source>
        <translation>
            <numerusform>Takes up to %n input image, with a mask</numerusform>
            <numerusform>Takes up to %n input images, with a mask</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Takes up to %n input image(s), no mask</source>
        <translation>
            <numerusform>Takes up to %n input image, no mask</numerusform>
            <numerusform>Takes up to %n input images, no mask</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::ExportDialog</name>
    <message numerus="yes">
        <source>Export %n image(s)</source>
        <translation>
            <numerusform>Export %n image</numerusform>
            <numerusform>Export %n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Export cancelled: %n image(s) exported to %1.</source>
        <translation>
            <numerusform>Export cancelled: %n image exported to %1.</numerusform>
            <numerusform>Export cancelled: %n images exported to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) exported to %1.</source>
        <translation>
            <numerusform>%n image exported to %1.</numerusform>
            <numerusform>%n images exported to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) could not be exported:</source>
        <translation>
            <numerusform>%n image could not be exported:</numerusform>
            <numerusform>%n images could not be exported:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::GalleryDelegate</name>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::GenerationJob</name>
    <message numerus="yes">
        <source>Saving %n image(s)…</source>
        <translation>
            <numerusform>Saving %n image…</numerusform>
            <numerusform>Saving %n images…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The server is busy (HTTP %1) and did not take the request, so nothing was charged. Sending it again in %n second(s)…</source>
        <translation>
            <numerusform>The server is busy (HTTP %1) and did not take the request, so nothing was charged. Sending it again in %n second…</numerusform>
            <numerusform>The server is busy (HTTP %1) and did not take the request, so nothing was charged. Sending it again in %n seconds…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::IntegrityDialog</name>
    <message numerus="yes">
        <source>Every file matches the index (%n image(s), contents verified).</source>
        <translation>
            <numerusform>Every file matches the index (%n image, contents verified).</numerusform>
            <numerusform>Every file matches the index (%n images, contents verified).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Every file matches the index (%n image(s), sizes compared).</source>
        <translation>
            <numerusform>Every file matches the index (%n image, sizes compared).</numerusform>
            <numerusform>Every file matches the index (%n images, sizes compared).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Removed %n image(s) whose file was missing.</source>
        <translation>
            <numerusform>Removed %n image whose file was missing.</numerusform>
            <numerusform>Removed %n images whose file was missing.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added %n file(s) to the library.</source>
        <translation>
            <numerusform>Added %n file to the library.</numerusform>
            <numerusform>Added %n files to the library.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Skipped %n file(s):</source>
        <translation>
            <numerusform>Skipped %n file:</numerusform>
            <numerusform>Skipped %n files:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The index was rebuilt from %n file(s). The previous index is kept next to it as a backup.</source>
        <translation>
            <numerusform>The index was rebuilt from %n file. The previous index is kept next to it as a backup.</numerusform>
            <numerusform>The index was rebuilt from %n files. The previous index is kept next to it as a backup.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::IntegrityNotice</name>
    <message numerus="yes">
        <source>%n image(s) without a file</source>
        <translation>
            <numerusform>%n image without a file</numerusform>
            <numerusform>%n images without a file</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) changed on disk</source>
        <translation>
            <numerusform>%n image changed on disk</numerusform>
            <numerusform>%n images changed on disk</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) not in the library</source>
        <translation>
            <numerusform>%n file not in the library</numerusform>
            <numerusform>%n files not in the library</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::LibraryFilterBar</name>
    <message numerus="yes">
        <source>%Ln image(s)</source>
        <translation>
            <numerusform>%Ln image</numerusform>
            <numerusform>%Ln images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Models: %Ln</source>
        <translation>
            <numerusform>Models: %Ln</numerusform>
            <numerusform>Models: %Ln</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::LibraryOrganizer</name>
    <message numerus="yes">
        <source>Delete %n image(s) permanently?</source>
        <translation>
            <numerusform>Delete %n image permanently?</numerusform>
            <numerusform>Delete %n images permanently?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::MainWindow</name>
    <message numerus="yes">
        <source>%n image model(s) available.</source>
        <translation>
            <numerusform>%n image model available.</numerusform>
            <numerusform>%n image models available.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Generating %n image(s) with %1…</source>
        <translation>
            <numerusform>Generating %n image with %1…</numerusform>
            <numerusform>Generating %n images with %1…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n image(s) to the library.</source>
        <translation>
            <numerusform>Saved %n image to the library.</numerusform>
            <numerusform>Saved %n images to the library.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n generation(s) running…</source>
        <translation>
            <numerusform>%n generation running…</numerusform>
            <numerusform>%n generations running…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Resuming %n background task(s)…</source>
        <translation>
            <numerusform>Resuming %n background task…</numerusform>
            <numerusform>Resuming %n background tasks…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sending %n image(s) with %1 as a background task…</source>
        <translation>
            <numerusform>Sending %n image with %1 as a background task…</numerusform>
            <numerusform>Sending %n images with %1 as a background task…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n generation(s) still running. Images the server has already made (and charged for) may be lost if you quit now; background tasks continue when you start again.</source>
        <translation>
            <numerusform>%n generation still running. Images the server has already made (and charged for) may be lost if you quit now; background tasks continue when you start again.</numerusform>
            <numerusform>%n generations still running. Images the server has already made (and charged for) may be lost if you quit now; background tasks continue when you start again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Moved %n image(s) to the trash.</source>
        <translation>
            <numerusform>Moved %n image to the trash.</numerusform>
            <numerusform>Moved %n images to the trash.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sending the prompt to %n model(s)…</source>
        <translation>
            <numerusform>Sending the prompt to %n model…</numerusform>
            <numerusform>Sending the prompt to %n models…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) exported to %1.</source>
        <translation>
            <numerusform>%n request exported to %1.</numerusform>
            <numerusform>%n requests exported to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Editing with %1: %n input image(s)…</source>
        <translation>
            <numerusform>Editing with %1: %n input image…</numerusform>
            <numerusform>Editing with %1: %n input images…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::MetadataPanel</name>
    <message numerus="yes">
        <source>an edit of %n input image(s), with a mask</source>
        <translation>
            <numerusform>an edit of %n input image, with a mask</numerusform>
            <numerusform>an edit of %n input images, with a mask</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>an edit of %n input image(s)</source>
        <translation>
            <numerusform>an edit of %n input image</numerusform>
            <numerusform>an edit of %n input images</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::QueueItemDelegate</name>
    <message numerus="yes">
        <source>Done · %n image(s)</source>
        <translation>
            <numerusform>Done · %n image</numerusform>
            <numerusform>Done · %n images</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::QueuePanel</name>
    <message numerus="yes">
        <source>%n running or queued</source>
        <translation>
            <numerusform>%n running or queued</numerusform>
            <numerusform>%n running or queued</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n need(s) attention</source>
        <translation>
            <numerusform>%n need attention</numerusform>
            <numerusform>%n needs attention</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::ReferenceStrip</name>
    <message numerus="yes">
        <source>%n input image(s) for the model to edit</source>
        <translation>
            <numerusform>%n input image for the model to edit</numerusform>
            <numerusform>%n input images for the model to edit</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::RequestOptions</name>
    <message numerus="yes">
        <source>%1 makes at most %n image(s) per request.</source>
        <translation>
            <numerusform>%1 makes at most %n image per request.</numerusform>
            <numerusform>%1 makes at most %n images per request.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::SavedBoardsDialog</name>
    <message numerus="yes">
        <source>%n model(s)</source>
        <translation>
            <numerusform>%n model</numerusform>
            <numerusform>%n models</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n board(s)</source>
        <translation>
            <numerusform>%n board</numerusform>
            <numerusform>%n boards</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pixapi::UsageDialog</name>
    <message numerus="yes">
        <source>%n request(s) in 30 days</source>
        <translation>
            <numerusform>%n request in 30 days</numerusform>
            <numerusform>%n requests in 30 days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) of unknown price not counted</source>
        <translation>
            <numerusform>%n request of unknown price not counted</numerusform>
            <numerusform>%n requests of unknown price not counted</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>pixapi-cli</name>
    <message numerus="yes">
        <source>%1 of %n image(s) saved</source>
        <translation>
            <numerusform>%1 of %n image saved</numerusform>
            <numerusform>%1 of %n images saved</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>batch &quot;%1&quot;: %n request(s) in the file</source>
        <translation>
            <numerusform>batch &quot;%1&quot;: %n request in the file</numerusform>
            <numerusform>batch &quot;%1&quot;: %n requests in the file</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n to send</source>
        <translation>
            <numerusform>%n to send</numerusform>
            <numerusform>%n to send</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already done</source>
        <translation>
            <numerusform>%n already done</numerusform>
            <numerusform>%n already done</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed before, sent again</source>
        <translation>
            <numerusform>%n failed before, sent again</numerusform>
            <numerusform>%n failed before, sent again</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) were on their way when an earlier run stopped</source>
        <translation>
            <numerusform>%n request were on their way when an earlier run stopped</numerusform>
            <numerusform>%n requests were on their way when an earlier run stopped</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) may have been charged without an image reaching the library; they are not sent again (check your balance and library, then use --retry-uncertain)</source>
        <translation>
            <numerusform>%n request may have been charged without an image reaching the library; they are not sent again (check your balance and library, then use --retry-uncertain)</numerusform>
            <numerusform>%n requests may have been charged without an image reaching the library; they are not sent again (check your balance and library, then use --retry-uncertain)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>batch &quot;%1&quot;: %2 of %n request(s) done</source>
        <translation>
            <numerusform>batch &quot;%1&quot;: %2 of %n request done</numerusform>
            <numerusform>batch &quot;%1&quot;: %2 of %n requests done</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>this run: %n image(s)</source>
        <translation>
            <numerusform>this run: %n image</numerusform>
            <numerusform>this run: %n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed without a charge (run the same command to send them again)</source>
        <translation>
            <numerusform>%n failed without a charge (run the same command to send them again)</numerusform>
            <numerusform>%n failed without a charge (run the same command to send them again)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n may have been charged (see above)</source>
        <translation>
            <numerusform>%n may have been charged (see above)</numerusform>
            <numerusform>%n may have been charged (see above)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>stopped at --max-credits %1: %n request(s) not sent</source>
        <translation>
            <numerusform>stopped at --max-credits %1: %n request not sent</numerusform>
            <numerusform>stopped at --max-credits %1: %n requests not sent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) not sent; run the same command to continue</source>
        <translation>
            <numerusform>%n request not sent; run the same command to continue</numerusform>
            <numerusform>%n requests not sent; run the same command to continue</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>stopping: no new requests; the %n on their way finish and are saved (Ctrl+C again quits at once, and they may still be charged)</source>
        <translation>
            <numerusform>stopping: no new requests; the %n on their way finish and are saved (Ctrl+C again quits at once, and they may still be charged)</numerusform>
            <numerusform>stopping: no new requests; the %n on their way finish and are saved (Ctrl+C again quits at once, and they may still be charged)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n running</source>
        <translation>
            <numerusform>%n running</numerusform>
            <numerusform>%n running</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>done, %n image(s)</source>
        <translation>
            <numerusform>done, %n image</numerusform>
            <numerusform>done, %n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) of unknown price are not in the credits</source>
        <translation>
            <numerusform>%n request of unknown price are not in the credits</numerusform>
            <numerusform>%n requests of unknown price are not in the credits</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed request(s) may have been charged anyway</source>
        <translation>
            <numerusform>%n failed request may have been charged anyway</numerusform>
            <numerusform>%n failed requests may have been charged anyway</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) written to %1</source>
        <translation>
            <numerusform>%n row written to %1</numerusform>
            <numerusform>%n rows written to %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) received before an interruption are now saved</source>
        <translation>
            <numerusform>%n image received before an interruption are now saved</numerusform>
            <numerusform>%n images received before an interruption are now saved</numerusform>
        </translation>
    </message>
</context>
</TS>
