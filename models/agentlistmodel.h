#pragma once

#include "api/apierror.h"
#include "api/dto.h"
#include "api/pager.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QPointer>

namespace sb::api {
class Platform;
}

namespace sb::models {

//! The organization's agents as a table, loaded page by page from the platform.
class AgentListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Status, Language, Voice, LlmModel, Tools, Updated, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1, //!< raw value for sorting (strings folded, times as ms)
        IdRole,
    };
    enum class State { Idle, Loading, Loaded, Failed };
    Q_ENUM(State)

    explicit AgentListModel(QObject *parent = nullptr);

    //! Forgets the current rows and pulls every page from \a platform (Interactive lane).
    void load(sb::api::Platform *platform);
    //! Loads again from the same platform (after a failure, or on request).
    void reload();

    State state() const { return m_state; }
    sb::api::ApiError lastError() const { return m_error; }
    QDateTime loadedAt() const { return m_loadedAt; }

    //! Row of the agent with \a id, or -1.
    int rowOf(const QString &id) const { return m_rowById.value(id, -1); }
    const sb::api::Agent &agentAt(int row) const { return m_agents.at(row); }
    //! Inserts or updates one agent in place (targeted dataChanged, no reset).
    void upsert(const sb::api::Agent &agent);
    void remove(const QString &id);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void stateChanged(sb::models::AgentListModel::State state);

private:
    void fetchNextPage();
    void appendPage(const QList<sb::api::Agent> &agents);
    void setState(State state);
    void rebuildIndex(int fromRow);

    QPointer<sb::api::Platform> m_platform;
    sb::api::Pager<sb::api::Agent> m_pager;
    QList<sb::api::Agent> m_agents;
    QHash<QString, int> m_rowById;
    State m_state = State::Idle;
    sb::api::ApiError m_error;
    QDateTime m_loadedAt;
    quint64 m_generation = 0; //!< a reload ignores pages of the load it replaced
};

} // namespace sb::models
