#pragma once

#include <QHash>
#include <QSortFilterProxyModel>
#include <QTableView>

namespace sb::models {
class LiveCallsModel;
}

namespace sb::ui {

//! Filters the live calls on any shown text (agent, number, contact, status, latest line) and
//! sorts on the model's raw SortRole. Remembers each call's recent sentiment scores for the
//! wall's sparkline (the model keeps only the latest).
class CallWallProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum Role {
        ScoreHistoryRole = Qt::UserRole + 200, //!< QList<double>, oldest first
    };
    static constexpr int kHistory = 24;

    explicit CallWallProxy(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    //! Row of call \a callId in this proxy, -1 when filtered out or absent.
    int rowOfCall(const QString &callId) const;
    QString callIdAt(int row) const;

private:
    void recordScores(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    void recordScore(int sourceRow);

    QHash<QString, QList<double>> m_scores;
};

//! The wall of live calls: one row per call, sortable, filterable, updated in place (targeted
//! dataChanged from the model; selection and scroll stay). Paints the sentiment trend as a
//! sparkline, the alert state as a coloured badge, interim latest lines dimmed.
class CallWall : public QTableView
{
    Q_OBJECT
public:
    explicit CallWall(QWidget *parent = nullptr);

    void setCalls(sb::models::LiveCallsModel *model);
    CallWallProxy *proxy() const { return m_proxy; }
    //! Id of the current row's call, empty when none.
    QString currentCallId() const;
    //! Makes \a callId's row current (false when it is not shown).
    bool selectCall(const QString &callId);

Q_SIGNALS:
    //! Enter or double click on a row.
    void callOpened(const QString &callId);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    CallWallProxy *m_proxy;
};

} // namespace sb::ui
