#pragma once

#include "models/fuzzymatch.h"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>

class QAction;

namespace sb::ui {

//! The command palette's list: the commands matching the query, best first.
//!
//! One row per QAction (its text without mnemonics, its group, its shortcut). An empty query
//! lists recently used commands first, then the rest in the order given. Disabled commands
//! stay listed (greyed, after the enabled ones) but their rows are not enabled.
class CommandPaletteModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        GroupRole = Qt::UserRole + 1, //!< pane or menu the command belongs to
        ShortcutRole,                 //!< first shortcut, native text ("Ctrl+K"); may be empty
        MatchPositionsRole,           //!< QList<int>: matched characters of DisplayRole
        ActionRole,                   //!< the QAction (QObject *)
        ScoreRole,                    //!< fuzzy score (0 for an empty query)
    };

    struct Command
    {
        QPointer<QAction> action;
        QString text;
        QString group;
    };

    explicit CommandPaletteModel(QObject *parent = nullptr);

    void setCommands(const QList<Command> &commands);
    QList<Command> commands() const { return m_commands; }
    void setQuery(const QString &query);
    QString query() const { return m_query; }
    //! Most recent first; only used to order the list for an empty query.
    void setRecent(const QList<QPointer<QAction>> &recent);
    //! Re-reads texts, enabled states and shortcuts (they may have changed since setCommands()).
    void refresh();

    QAction *actionAt(int row) const;
    bool isRowEnabled(int row) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

    //! Action text as shown: mnemonic ampersands removed ("&Save" → "Save", "&&" → "&").
    static QString plainText(const QString &actionText);

private:
    struct Row
    {
        int command = 0;
        sb::models::FuzzyMatch match;
        bool enabled = true;
    };
    void rebuild();

    QList<Command> m_commands;
    QList<QPointer<QAction>> m_recent;
    QList<Row> m_rows;
    QString m_query;
};

} // namespace sb::ui
