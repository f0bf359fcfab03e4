#include "pagedlistmodel.h"

#include "api/pendingrequest.h"

#include <QLocale>
#include <QLoggingCategory>

namespace sb::models {

namespace {
Q_LOGGING_CATEGORY(lcLists, "switchboard.models")
}

using sb::api::ApiError;

PagedListModel::PagedListModel(int columnCount, QObject *parent)
    : QAbstractTableModel(parent)
    , m_columnCount(columnCount)
{}

PagedListModel::~PagedListModel()
{
    if (m_inFlight)
        m_inFlight->cancel();
}

void PagedListModel::load(sb::api::Platform *platform)
{
    m_platform = platform;
    reload();
}

void PagedListModel::cancelLoading()
{
    ++m_generation;
    m_pages = 0;
    if (m_inFlight)
        m_inFlight->cancel(); // finishes later with Canceled; its generation is stale by now
    m_inFlight = nullptr;
    if (itemCount() > 0) {
        beginResetModel();
        clearItems();
        m_rowById.clear();
        endResetModel();
    }
    m_error = {};
}

void PagedListModel::clear()
{
    cancelLoading();
    setState(State::Idle);
}

void PagedListModel::reload()
{
    cancelLoading();
    if (!m_platform) {
        m_error = ApiError(ApiError::Kind::InvalidRequest, tr("Not connected to a platform."));
        setState(State::Failed);
        return;
    }
    if (!canLoad()) {
        setState(State::Idle);
        return;
    }
    if (const auto capability = requiredCapability(); capability && !m_platform->can(*capability)) {
        m_error =
            ApiError(ApiError::Kind::NotSupported, m_platform->unsupportedReason(*capability));
        setState(State::NotSupported);
        return;
    }
    startPaging(m_platform);
    setState(State::Loading);
    fetchNextPage();
}

QString PagedListModel::notSupportedReason() const
{
    return m_state == State::NotSupported ? m_error.caption() : QString();
}

void PagedListModel::setPageSize(int size)
{
    m_pageSize = std::clamp(size, 1, 100);
}

void PagedListModel::pageLoaded(int itemsInPage)
{
    ++m_pages;
    qCDebug(lcLists) << metaObject()->className() << "page" << m_pages << "with" << itemsInPage
                     << "items";
}

void PagedListModel::loadingFinished()
{
    m_loadedAt = QDateTime::currentDateTimeUtc();
    qCDebug(lcLists) << metaObject()->className() << "loaded" << itemCount() << "rows in" << m_pages
                     << "pages";
    setState(State::Loaded);
}

void PagedListModel::loadingFailed(const ApiError &error)
{
    m_error = error;
    if (error.kind == ApiError::Kind::NotSupported) {
        qCInfo(lcLists) << metaObject()->className() << "not supported:" << error.caption();
        setState(State::NotSupported);
        return;
    }
    // The caption only: server messages may quote what was sent (phone numbers).
    qCWarning(lcLists) << metaObject()->className() << "loading failed:" << error.caption();
    setState(State::Failed);
}

void PagedListModel::remove(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    removeItemAt(row);
    m_rowById.remove(id);
    indexRows(row);
    endRemoveRows();
}

void PagedListModel::indexRows(int fromRow)
{
    const int count = itemCount();
    for (int row = fromRow; row < count; ++row)
        m_rowById.insert(idAt(row), row);
}

void PagedListModel::emitRowChanged(int row)
{
    Q_EMIT dataChanged(index(row, 0), index(row, m_columnCount - 1));
}

void PagedListModel::setState(State state)
{
    if (m_state == state && state != State::Failed)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

int PagedListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : itemCount();
}

int PagedListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_columnCount;
}

QVariant PagedListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role == IdRole)
        return idAt(index.row());
    return cellData(index.row(), index.column(), role);
}

QVariant PagedListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 ||
        section >= m_columnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    return headerText(section);
}

QVariant PagedListModel::timeValue(const QDateTime &time, bool raw)
{
    if (raw)
        return time.isValid() ? time.toMSecsSinceEpoch() : qint64(0);
    if (!time.isValid())
        return QString();
    return QLocale().toString(time.toLocalTime(), QLocale::ShortFormat);
}

QVariant PagedListModel::textValue(const QString &text, bool raw)
{
    return raw ? text.toCaseFolded() : text;
}

} // namespace sb::models
