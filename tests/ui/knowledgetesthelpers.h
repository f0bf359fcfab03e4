#pragma once

// Helpers of tst_knowledgepane: read a collection's documents straight from the server and
// find the dialogs the pane opens (window-modal, so the test keeps its own event loop).

#include "api/platform.h"

#include <QApplication>
#include <QDialog>
#include <QFile>
#include <QTest>

#include <optional>

namespace knowledgetest {

//! Every document of \a collectionId on the server (nullopt when a page failed).
inline std::optional<QList<sb::api::Document>> serverDocuments(sb::api::Platform *platform,
                                                               const QString &collectionId)
{
    auto pager = platform->documents(collectionId, 100);
    QList<sb::api::Document> out;
    while (pager.hasMore()) {
        auto reply = pager.fetchNext();
        if (!reply.isValid())
            return std::nullopt;
        bool done = false;
        bool ok = false;
        QObject guard;
        reply.onFinished(&guard, [&](const sb::api::Result<sb::api::Page<sb::api::Document>> &r) {
            done = true;
            ok = r.ok();
            if (ok)
                out.append(r.value().items);
        });
        if (!QTest::qWaitFor([&] { return done; }, 20000) || !ok)
            return std::nullopt;
    }
    return out;
}

inline std::optional<sb::api::Document>
serverDocument(sb::api::Platform *platform, const QString &collectionId, const QString &title)
{
    const auto docs = serverDocuments(platform, collectionId);
    if (!docs)
        return std::nullopt;
    for (const sb::api::Document &d : *docs) {
        if (d.title == title)
            return d;
    }
    return std::nullopt;
}

//! Writes \a bytes of text to \a path (sparse zeros after the first line for large sizes).
inline bool writeFile(const QString &path, qint64 bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    const QByteArray line = "Opening hours: Monday to Friday, 9 to 5.\n";
    if (bytes <= 1024 * 1024) {
        QByteArray data;
        while (data.size() < bytes)
            data.append(line);
        data.truncate(bytes);
        return f.write(data) == bytes;
    }
    f.write(line);
    return f.resize(bytes);
}

//! The visible dialog of type T whose parent is \a parent, waiting for it to open.
template<class T> T *waitForDialog(QWidget *parent, int timeoutMs = 5000)
{
    T *found = nullptr;
    const bool appeared = QTest::qWaitFor(
        [&] {
            const QList<T *> dialogs = parent->findChildren<T *>();
            for (T *d : dialogs) {
                if (d->isVisible())
                    found = d;
            }
            return found != nullptr;
        },
        timeoutMs);
    return appeared ? found : nullptr;
}

} // namespace knowledgetest
