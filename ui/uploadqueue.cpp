#include "uploadqueue.h"

#include "api/platform.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QLoggingCategory>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <utility>

Q_LOGGING_CATEGORY(lcUpload, "switchboard.ui")

namespace sb::ui {

struct UploadQueue::Row
{
    QWidget *widget = nullptr;
    QProgressBar *bar = nullptr;
    sb::api::ApiReply<sb::api::Document> reply;
};

UploadQueue::UploadQueue(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QVBoxLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(2);
    setAccessibleName(tr("Uploads in progress"));
    hide(); // shown while something uploads
}

UploadQueue::~UploadQueue()
{
    // The replies' handlers die with this object; what is still in flight is abandoned.
    const QHash<int, Row *> rows = std::exchange(m_rows, {});
    for (Row *row : rows) {
        row->reply.cancel();
        delete row;
    }
}

QStringList UploadQueue::acceptedSuffixes()
{
    return {QStringLiteral("pdf"), QStringLiteral("docx"), QStringLiteral("txt"),
            QStringLiteral("md"), QStringLiteral("csv")};
}

QString UploadQueue::fileDialogFilter()
{
    QStringList globs;
    for (const QString &suffix : acceptedSuffixes())
        globs.append(QStringLiteral("*.") + suffix);
    return tr("Documents (%1)").arg(globs.join(QLatin1Char(' ')));
}

QString UploadQueue::refusalReason(const QString &filePath)
{
    const QFileInfo info(filePath);
    const QString name = info.fileName();
    if (!info.exists() || !info.isFile())
        return tr("“%1” is not a file.").arg(name.isEmpty() ? filePath : name);
    if (!acceptedSuffixes().contains(info.suffix().toLower()))
        return tr("“%1” was not uploaded: only PDF, DOCX, TXT, MD and CSV files are accepted.")
            .arg(name);
    if (info.size() == 0)
        return tr("“%1” was not uploaded: the file is empty.").arg(name);
    if (info.size() > kMaxBytes)
        return tr("“%1” was not uploaded: at %2 bytes it is larger than the limit of %3.")
            .arg(name, QLocale().toString(info.size()), QLocale().formattedDataSize(kMaxBytes));
    if (!info.isReadable())
        return tr("“%1” cannot be read.").arg(name);
    return {};
}

bool UploadQueue::start(sb::api::Platform *platform, const QString &collectionId,
                        const QString &filePath)
{
    if (!platform || collectionId.isEmpty() || !refusalReason(filePath).isEmpty())
        return false;
    const QString name = QFileInfo(filePath).fileName();
    const int id = m_nextId++;
    auto *row = new Row;
    row->widget = new QWidget(this);
    auto *h = new QHBoxLayout(row->widget);
    h->setContentsMargins(0, 0, 0, 0);
    auto *label = new QLabel(name, row->widget);
    label->setMinimumWidth(120);
    row->bar = new QProgressBar(row->widget);
    row->bar->setRange(0, 0); // busy until the first progress report
    row->bar->setAccessibleName(tr("Upload progress of %1").arg(name));
    row->bar->setObjectName(QStringLiteral("uploadProgress"));
    auto *cancel = new QPushButton(tr("Cancel"), row->widget);
    cancel->setObjectName(QStringLiteral("cancelUpload"));
    cancel->setAccessibleName(tr("Cancel the upload of %1").arg(name));
    cancel->setToolTip(cancel->accessibleName());
    h->addWidget(label, 1);
    h->addWidget(row->bar, 2);
    h->addWidget(cancel);
    m_layout->addWidget(row->widget);
    m_rows.insert(id, row);
    show();
    Q_EMIT activeCountChanged(activeCount());

    row->reply = platform->uploadDocument(collectionId, filePath);
    row->reply.onProgress(row->bar, [this, bar = row->bar, filePath](qint64 sent, qint64 total) {
        if (total > 0) {
            // QProgressBar holds ints: scale to per mille so files near 2 GB do not overflow.
            bar->setRange(0, 1000);
            bar->setValue(int(sent * 1000 / total));
        }
        Q_EMIT progressed(filePath, sent, total);
    });
    row->reply.onFinished(
        this, [this, id, collectionId, filePath](const sb::api::Result<sb::api::Document> &r) {
            finishRow(id);
            if (r.ok()) {
                Q_EMIT uploaded(collectionId, r.value());
            } else if (r.error().kind != sb::api::ApiError::Kind::Canceled) {
                qCInfo(lcUpload) << "upload failed:" << r.error().caption();
                Q_EMIT uploadFailed(filePath, r.error());
            }
        });
    // A copy of the reply: the row may be gone before the button's deferred deletion.
    connect(cancel, &QPushButton::clicked, this, [reply = row->reply] { reply.cancel(); });
    return true;
}

void UploadQueue::cancelAll()
{
    const QList<Row *> rows = m_rows.values();
    for (Row *row : rows)
        row->reply.cancel();
}

void UploadQueue::finishRow(int id)
{
    Row *row = m_rows.take(id);
    if (!row)
        return;
    row->widget->deleteLater();
    delete row;
    if (m_rows.isEmpty())
        hide();
    Q_EMIT activeCountChanged(activeCount());
}

} // namespace sb::ui
