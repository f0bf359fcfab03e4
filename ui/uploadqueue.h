#pragma once

#include "api/apierror.h"
#include "api/dto.h"

#include <QHash>
#include <QStringList>
#include <QWidget>

class QVBoxLayout;

namespace sb::api {
class Platform;
}

namespace sb::ui {

//! The uploads of files into knowledge collections: one row per file with a progress bar and
//! a Cancel button. Files are checked (type, size, readable) before any request goes out.
class UploadQueue : public QWidget
{
    Q_OBJECT
public:
    //! The platform's limit (CONTRACT §1.1: PDF, DOCX, TXT, MD, CSV up to 50 MB).
    static constexpr qint64 kMaxBytes = 50LL * 1024 * 1024;

    explicit UploadQueue(QWidget *parent = nullptr);
    ~UploadQueue() override;

    //! Lower-case file suffixes the platform accepts.
    static QStringList acceptedSuffixes();
    //! Filter for QFileDialog ("Documents (*.pdf *.docx ...)").
    static QString fileDialogFilter();
    //! Why \a filePath cannot be uploaded (translated), or an empty string when it can.
    static QString refusalReason(const QString &filePath);

    //! Starts uploading \a filePath into \a collectionId. Returns false (no request sent) when
    //! refusalReason() is not empty.
    bool start(sb::api::Platform *platform, const QString &collectionId, const QString &filePath);
    //! Cancels every upload in flight.
    void cancelAll();
    int activeCount() const { return int(m_rows.size()); }

Q_SIGNALS:
    //! An upload finished: the server's document (usually still processing).
    void uploaded(const QString &collectionId, const sb::api::Document &document);
    void uploadFailed(const QString &filePath, const sb::api::ApiError &error);
    //! upload progress of \a filePath (bytes).
    void progressed(const QString &filePath, qint64 sent, qint64 total);
    void activeCountChanged(int count);

private:
    struct Row;
    void finishRow(int id);

    QVBoxLayout *m_layout;
    QHash<int, Row *> m_rows;
    int m_nextId = 1;
};

} // namespace sb::ui
