#include "commandpalettemodel.h"

#include <QAction>

#include <algorithm>

namespace sb::ui {

CommandPaletteModel::CommandPaletteModel(QObject *parent)
    : QAbstractListModel(parent)
{}

QString CommandPaletteModel::plainText(const QString &actionText)
{
    QString text;
    text.reserve(actionText.size());
    for (qsizetype i = 0; i < actionText.size(); ++i) {
        const QChar c = actionText.at(i);
        if (c == QLatin1Char('&')) {
            if (i + 1 < actionText.size() && actionText.at(i + 1) == QLatin1Char('&')) {
                text += c;
                ++i;
            }
            continue;
        }
        if (c == QLatin1Char('\t'))
            break; // "Text\tShortcut" in menus: the shortcut is shown separately
        text += c;
    }
    return text;
}

void CommandPaletteModel::setCommands(const QList<Command> &commands)
{
    m_commands = commands;
    rebuild();
}

void CommandPaletteModel::setQuery(const QString &query)
{
    if (query == m_query)
        return;
    m_query = query;
    rebuild();
}

void CommandPaletteModel::setRecent(const QList<QPointer<QAction>> &recent)
{
    m_recent = recent;
    if (m_query.trimmed().isEmpty())
        rebuild();
}

void CommandPaletteModel::refresh()
{
    // Actions rename themselves ("Pause" / "Resume"): read their text again.
    for (Command &command : m_commands)
        if (command.action)
            command.text = plainText(command.action->text());
    rebuild();
}

void CommandPaletteModel::rebuild()
{
    // The whole list changes with every keystroke (other rows, other order): a reset is the
    // honest signal, and the list is short (a few hundred commands at most).
    beginResetModel();
    m_rows.clear();
    const bool emptyQuery = m_query.trimmed().isEmpty();
    for (int i = 0; i < m_commands.size(); ++i) {
        const Command &command = m_commands.at(i);
        QAction *action = command.action;
        if (!action || !action->isVisible() || action->isSeparator() || command.text.isEmpty())
            continue;
        Row row;
        row.command = i;
        row.enabled = action->isEnabled();
        row.match = sb::models::fuzzyMatch(m_query, command.text);
        if (!row.match && !emptyQuery) {
            // "agents new" should also find "New Agent" in the Agents group.
            const QString withGroup = command.group + QLatin1Char(' ') + command.text;
            const sb::models::FuzzyMatch groupMatch = sb::models::fuzzyMatch(m_query, withGroup);
            if (!groupMatch)
                continue;
            row.match.matched = true;
            row.match.score = groupMatch.score / 2; // below any match on the text alone
            const qsizetype offset = command.group.size() + 1;
            for (int p : groupMatch.positions)
                if (p >= offset)
                    row.match.positions.append(int(p - offset));
        }
        m_rows.append(row);
    }
    auto recentIndex = [this](const Row &row) {
        const QAction *action = m_commands.at(row.command).action;
        for (int i = 0; i < m_recent.size(); ++i)
            if (m_recent.at(i) == action)
                return i;
        return int(m_recent.size());
    };
    std::stable_sort(m_rows.begin(), m_rows.end(), [&](const Row &a, const Row &b) {
        if (a.enabled != b.enabled)
            return a.enabled;
        if (emptyQuery)
            return recentIndex(a) < recentIndex(b);
        return a.match.score > b.match.score;
    });
    endResetModel();
}

QAction *CommandPaletteModel::actionAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return nullptr;
    return m_commands.at(m_rows.at(row).command).action;
}

bool CommandPaletteModel::isRowEnabled(int row) const
{
    QAction *action = actionAt(row);
    return action && m_rows.at(row).enabled && action->isEnabled();
}

int CommandPaletteModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant CommandPaletteModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const Command &command = m_commands.at(row.command);
    QAction *action = command.action;
    switch (role) {
    case Qt::DisplayRole:
        return command.text;
    case Qt::DecorationRole:
        return action ? action->icon() : QIcon();
    case Qt::ToolTipRole: {
        if (!action)
            return {};
        const QString tip = action->statusTip().isEmpty() ? action->toolTip() : action->statusTip();
        return tip == command.text ? QString() : tip;
    }
    case Qt::AccessibleTextRole: {
        const QString shortcut = data(index, ShortcutRole).toString();
        QString text =
            command.group.isEmpty() ? command.text : tr("%1, %2").arg(command.text, command.group);
        if (!shortcut.isEmpty())
            text = tr("%1, shortcut %2").arg(text, shortcut);
        if (!row.enabled)
            text = tr("%1, unavailable").arg(text);
        return text;
    }
    case GroupRole:
        return command.group;
    case ShortcutRole:
        return action ? action->shortcut().toString(QKeySequence::NativeText) : QString();
    case MatchPositionsRole:
        return QVariant::fromValue(row.match.positions);
    case ActionRole:
        return QVariant::fromValue<QObject *>(action);
    case ScoreRole:
        return row.match.score;
    default:
        return {};
    }
}

Qt::ItemFlags CommandPaletteModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return Qt::NoItemFlags;
    return isRowEnabled(index.row()) ? Qt::ItemIsEnabled | Qt::ItemIsSelectable
                                     : Qt::ItemNeverHasChildren;
}

QHash<int, QByteArray> CommandPaletteModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(GroupRole, "group");
    names.insert(ShortcutRole, "shortcut");
    names.insert(MatchPositionsRole, "matchPositions");
    names.insert(ScoreRole, "score");
    return names;
}

} // namespace sb::ui
