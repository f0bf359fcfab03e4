// CallsPane: delete, export, details prefetch and the saved pane state (callspane.cpp builds
// the pane).
#include "callspane.h"

#include "calldetailspanel.h"
#include "messagebanner.h"
#include "recordingplayer.h"
#include "searchresults.h"
#include "transcriptexport.h"

#include "api/platform.h"
#include "models/callcache.h"
#include "models/callhistorymodel.h"
#include "models/searchmodel.h"
#include "models/syncservice.h"
#include "models/waveformpeaks.h"

#include <QDataStream>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>

#include <algorithm>

using namespace sb::api;

namespace sb::ui {

namespace {

constexpr quint32 StateMagic = 0x53424350; // "SBCP"
constexpr quint8 StateVersion = 1;

QString documentsFolder()
{
    const QString docs = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return docs.isEmpty() ? QDir::homePath() : docs;
}

} // namespace

void CallsPane::deleteTarget()
{
    const QString callId = targetCallId();
    if (callId.isEmpty() || !context().sync)
        return;
    if (context().platform && !context().platform->can(Platform::Capability::CallDelete)) {
        m_banner->showMessage(
            MessageBanner::Kind::Information,
            context().platform->unsupportedReason(Platform::Capability::CallDelete));
        return;
    }
    QString what = tr("Delete this call?");
    if (context().cache) {
        if (const auto call = context().cache->call(callId)) {
            what =
                tr("Delete the call with %1 from %2?")
                    .arg(TranscriptExport::remoteNumber(*call),
                         QLocale().toString(call->createdAt.toLocalTime(), QLocale::ShortFormat));
        }
    }
    QMessageBox box(QMessageBox::Warning, tr("Delete Call"), what, QMessageBox::NoButton, this);
    box.setInformativeText(
        tr("Its recording, transcript, sentiment timeline and tool calls are deleted on the "
           "server, for everyone in your organization, and from this computer. This cannot be "
           "undone."));
    QPushButton *remove = box.addButton(tr("Delete Call"), QMessageBox::DestructiveRole);
    remove->setAccessibleName(tr("Delete call"));
    QPushButton *cancel = box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(cancel);
    box.setEscapeButton(cancel);
    box.exec();
    if (box.clickedButton() != remove)
        return;
    startDelete(callId);
}

void CallsPane::startDelete(const QString &callId)
{
    // A row the cursor rested on must not be opened once it is gone.
    m_selectTimer.stop();
    m_deleting.insert(callId);
    if (context().navigator)
        context().navigator->statusMessage(tr("Deleting the call…"));
    context().sync->deleteCall(callId);
}

void CallsPane::onCallDeleted(const QString &callId)
{
    const bool ours = m_deleting.remove(callId);
    m_deleted.insert(callId);
    if (m_details->callId() == callId || m_details->pendingCallId() == callId) {
        const QString recording = m_details->player()->callId() == callId
                                      ? m_details->player()->recordingFile()
                                      : QString();
        m_openId.clear();
        m_details->showMessage(tr("The call was deleted."));
        // The downloaded recording and its waveform go with the call (the player let go of
        // them above): nothing of a deleted call stays on this computer.
        if (!recording.isEmpty()) {
            QFile::remove(recording);
            QFile::remove(sb::models::waveform::cachePath(recording));
        }
    }
    // Hits of the deleted call would open nothing: run the search again.
    if (m_search && !m_search->query().isEmpty()) {
        const QString query = m_search->query();
        m_search->setQuery(QString());
        m_search->setQuery(query);
    }
    if (ours && context().navigator)
        context().navigator->statusMessage(tr("The call was deleted."));
    updateActions();
}

QString CallsPane::suggestedFileName(const QString &suffix) const
{
    const Call &call = m_details->details().call;
    QString number = TranscriptExport::remoteNumber(call);
    number.remove(QRegularExpression(QStringLiteral("[^0-9+]")));
    const QString date = call.createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd-HHmm"));
    return QStringLiteral("call-%1-%2.%3").arg(date, number, suffix);
}

void CallsPane::exportTranscript()
{
    if (!m_details->hasDetails())
        return;
    QFileDialog dialog(this, tr("Export Transcript"), documentsFolder());
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setFileMode(QFileDialog::AnyFile);
    dialog.setNameFilters(TranscriptExport::nameFilters());
    dialog.selectFile(suggestedFileName(QStringLiteral("txt")));
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return;
    // The type chosen in the dialog decides when the name has no known suffix ("notes" →
    // "notes.csv"); a typed .json wins over the chosen type.
    const auto chosen = TranscriptExport::formatForNameFilter(dialog.selectedNameFilter());
    QString path = dialog.selectedFiles().constFirst();
    if (!TranscriptExport::formatForPath(path)) {
        path += QLatin1Char('.') + TranscriptExport::suffix(chosen);
        if (QFileInfo::exists(path) &&
            QMessageBox::question(
                this, tr("Export Transcript"),
                tr("%1 already exists. Replace it?").arg(QFileInfo(path).fileName())) !=
                QMessageBox::Yes) {
            return;
        }
    }
    exportTranscriptTo(path, int(chosen));
}

bool CallsPane::exportTranscriptTo(const QString &path, int fallbackFormat)
{
    if (!m_details->hasDetails())
        return false;
    const auto format =
        TranscriptExport::formatForPath(path).value_or(TranscriptExport::Format(fallbackFormat));
    // The details are copied: the retry writes what the person chose to export, even if
    // another call is shown by then.
    const CallDetails details = m_details->details();
    const QString agent = m_details->agentName();
    const QByteArray bytes = TranscriptExport::render(format, details, agent);
    QString error;
    if (!TranscriptExport::writeFile(path, bytes, &error)) {
        showFailure(tr("The transcript was not saved. %1").arg(error), [this, path, bytes] {
            QString again;
            if (!TranscriptExport::writeFile(path, bytes, &again))
                showFailure(tr("The transcript was not saved. %1").arg(again), {});
        });
        return false;
    }
    if (context().navigator)
        context().navigator->statusMessage(
            tr("Transcript saved to %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

void CallsPane::exportRecording()
{
    const QString source = m_details->player()->recordingFile();
    if (source.isEmpty())
        return;
    const QString suffix = QFileInfo(source).suffix();
    QFileDialog dialog(this, tr("Export Recording"), documentsFolder());
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setFileMode(QFileDialog::AnyFile);
    dialog.setNameFilter(tr("Recording (*.%1)").arg(suffix));
    dialog.setDefaultSuffix(suffix);
    dialog.selectFile(suggestedFileName(suffix));
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return;
    const QString target = dialog.selectedFiles().constFirst();
    QString error;
    if (!TranscriptExport::copyFile(source, target, &error)) {
        showFailure(tr("The recording was not saved. %1").arg(error), [this, source, target] {
            QString again;
            if (!TranscriptExport::copyFile(source, target, &again))
                showFailure(tr("The recording was not saved. %1").arg(again), {});
        });
        return;
    }
    if (context().navigator)
        context().navigator->statusMessage(
            tr("Recording saved to %1").arg(QDir::toNativeSeparators(target)));
}

QByteArray CallsPane::saveState() const
{
    if (!m_loaded)
        return m_pendingState;
    QByteArray out;
    QDataStream stream(&out, QIODevice::WriteOnly);
    stream.setVersion(QDataStream::Qt_6_4);
    stream << StateMagic << StateVersion << m_splitter->saveState()
           << m_table->horizontalHeader()->saveState() << qint32(m_tabs->currentIndex())
           << m_details->saveState();
    return out;
}

void CallsPane::prefetchVisibleDetails()
{
    const int height = m_table->viewport()->height();
    if (!m_history || !context().sync || !isVisible() || m_history->rowCount() == 0 || height <= 0)
        return;
    const int first = std::max(0, m_table->rowAt(0));
    int last = m_table->rowAt(height - 1);
    if (last < 0)
        last = m_history->rowCount() - 1;
    // Rows are read block by block from SQLite on this thread: never more than can be used.
    last = std::min(last, first + sb::models::SyncService::prefetchLimit - 1);
    QStringList ids;
    for (int row = first; row <= last; ++row) {
        const QModelIndex index = m_history->index(row, 0);
        if (!index.data(sb::models::CallHistoryModel::HasDetailsRole).toBool())
            ids.append(index.data(sb::models::CallHistoryModel::IdRole).toString());
    }
    context().sync->prefetchDetails(ids);
}

void CallsPane::restoreState(const QByteArray &state)
{
    if (!m_loaded) {
        m_pendingState = state; // the header needs the model: applied on first activation
        return;
    }
    QDataStream stream(state);
    stream.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0;
    quint8 version = 0;
    QByteArray splitter, header, details;
    qint32 tab = 0;
    stream >> magic >> version >> splitter >> header >> tab >> details;
    if (stream.status() != QDataStream::Ok || magic != StateMagic || version != StateVersion)
        return; // unknown or damaged: the defaults are fine
    m_splitter->restoreState(splitter);
    m_table->horizontalHeader()->restoreState(header);
    if (!sb::models::CallHistoryModel::isSortable(
            m_table->horizontalHeader()->sortIndicatorSection())) {
        m_table->horizontalHeader()->setSortIndicator(m_history->sortColumn(),
                                                      m_history->sortOrder());
    }
    m_tabs->setCurrentIndex(qBound(0, int(tab), m_tabs->count() - 1));
    m_details->restoreState(details);
}

} // namespace sb::ui
