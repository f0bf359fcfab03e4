#pragma once

#include "agenteditorfields.h"

#include <QDialog>
#include <QHash>

class QRadioButton;

namespace sb::ui {

//! Shown when a save met a newer version on the server (412): every field where their version
//! and yours differ, with the value both started from, and a choice per field or overall.
class ConflictDialog : public QDialog
{
    Q_OBJECT
public:
    using Field = agentfields::Field;
    enum class Choice { Mine, Theirs };

    //! \a base: what the editor loaded; \a theirs: the server's current agent; \a mine: the edits.
    ConflictDialog(const sb::api::Agent &base, const sb::api::Agent &theirs,
                   const sb::api::Agent &mine, QWidget *parent = nullptr);

    //! The fields shown (theirs and mine differ), in form order.
    QList<Field> fields() const { return m_fields; }
    Choice choice(Field field) const;
    void choose(Field field, Choice choice);
    void chooseAll(Choice choice);
    QRadioButton *button(Field field, Choice choice) const;
    //! Their agent with the fields where "keep mine" is chosen taken from mine.
    sb::api::Agent merged() const;

private:
    sb::api::Agent m_theirs;
    sb::api::Agent m_mine;
    QList<Field> m_fields;
    QHash<Field, QRadioButton *> m_mineButtons;
    QHash<Field, QRadioButton *> m_theirButtons;
};

} // namespace sb::ui
