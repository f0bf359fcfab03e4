<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>sb::api::LiveStream</name>
    <message numerus="yes">
        <location filename="../api/livestream.cpp" line="+164"/>
        <source>Live updates lost; retrying in %n second(s)</source>
        <translation>
            <numerusform>Live updates lost; retrying in %n second</numerusform>
            <numerusform>Live updates lost; retrying in %n seconds</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::api::SpeakNodeStream</name>
    <message numerus="yes">
        <location filename="../api/speaknodestream.cpp" line="+184"/>
        <source>Live: call status pushed; transcripts polled every %n second(s)</source>
        <translation>
            <numerusform>Live: call status pushed; transcripts polled every second</numerusform>
            <numerusform>Live: call status pushed; transcripts polled every %n seconds</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::models::AlertService</name>
    <message numerus="yes">
        <location filename="../models/alertservice.cpp" line="+244"/>
        <source>The caller has been negative for %n second(s)</source>
        <translation>
            <numerusform>The caller has been negative for %n second</numerusform>
            <numerusform>The caller has been negative for %n seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>Nobody has spoken for %n second(s)</source>
        <translation>
            <numerusform>Nobody has spoken for %n second</numerusform>
            <numerusform>Nobody has spoken for %n seconds</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::models::CallHistoryModel</name>
    <message numerus="yes">
        <location filename="../models/callhistorymodel.cpp" line="+583"/>
        <source>updated %n min ago</source>
        <translation>
            <numerusform>updated %n min ago</numerusform>
            <numerusform>updated %n min ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>updated %n h ago</source>
        <translation>
            <numerusform>updated %n h ago</numerusform>
            <numerusform>updated %n h ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>updated %n day(s) ago</source>
        <translation>
            <numerusform>updated %n day ago</numerusform>
            <numerusform>updated %n days ago</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::models::CollectionModel</name>
    <message numerus="yes">
        <location filename="../models/collectionmodel.cpp" line="+31"/>
        <source>%n document(s)</source>
        <translation>
            <numerusform>%n document</numerusform>
            <numerusform>%n documents</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::models::ContactModel</name>
    <message numerus="yes">
        <location filename="../models/contactmodel.cpp" line="+71"/>
        <source>%n field(s)</source>
        <translation>
            <numerusform>%n field</numerusform>
            <numerusform>%n fields</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::models::DocumentModel</name>
    <message numerus="yes">
        <location filename="../models/documentmodel.cpp" line="+76"/>
        <source>%Ln byte(s)</source>
        <translation>
            <numerusform>%Ln byte</numerusform>
            <numerusform>%Ln bytes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::models::SyncService</name>
    <message numerus="yes">
        <location filename="../models/sync_status.cpp" line="+38"/>
        <source>Updated %n min ago</source>
        <translation>
            <numerusform>Updated %n min ago</numerusform>
            <numerusform>Updated %n min ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Updated %n h ago</source>
        <translation>
            <numerusform>Updated %n h ago</numerusform>
            <numerusform>Updated %n h ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>Downloading call history: %n call(s) so far</source>
        <translation>
            <numerusform>Downloading call history: %n call so far</numerusform>
            <numerusform>Downloading call history: %n calls so far</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::models::WaveformPeaks</name>
    <message numerus="yes">
        <location filename="../models/waveformpeaks.cpp" line="+76"/>
        <source>The recording has %n channel(s); a stereo recording (agent left, caller right) is needed.</source>
        <translation>
            <numerusform>The recording has %n channel; a stereo recording (agent left, caller right) is needed.</numerusform>
            <numerusform>The recording has %n channels; a stereo recording (agent left, caller right) is needed.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::ui::AlertsPane</name>
    <message numerus="yes">
        <location filename="../ui/alertspane.cpp" line="+350"/>
        <source>%n alert(s) acknowledged.</source>
        <translation>
            <numerusform>%n alert acknowledged.</numerusform>
            <numerusform>%n alerts acknowledged.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+53"/>
        <source>%n unacknowledged</source>
        <translation>
            <numerusform>%n unacknowledged</numerusform>
            <numerusform>%n unacknowledged</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n alert(s)</source>
        <translation>
            <numerusform>%n alert</numerusform>
            <numerusform>%n alerts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::ui::CallView</name>
    <message numerus="yes">
        <location filename="../ui/callview.cpp" line="+390"/>
        <source>⚠ %n open alert(s) (%1)</source>
        <translation>
            <numerusform>⚠ %n open alert (%1)</numerusform>
            <numerusform>⚠ %n open alerts (%1)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::ui::CallsPane</name>
    <message numerus="yes">
        <location filename="../ui/callspane.cpp" line="+302"/>
        <source>%n call(s)</source>
        <translation>
            <numerusform>%n call</numerusform>
            <numerusform>%n calls</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n call(s) match the filter</source>
        <translation>
            <numerusform>%n call matches the filter</numerusform>
            <numerusform>%n calls match the filter</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::ui::ContactsPane</name>
    <message numerus="yes">
        <location filename="../ui/contactspane.cpp" line="+278"/>
        <source>%n contact(s)</source>
        <translation>
            <numerusform>%n contact</numerusform>
            <numerusform>%n contacts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::ui::KnowledgePane</name>
    <message numerus="yes">
        <location filename="../ui/knowledgepane_actions.cpp" line="+136"/>
        <source>“%1” added with %n chunk(s).</source>
        <translation>
            <numerusform>“%1” added with %n chunk.</numerusform>
            <numerusform>“%1” added with %n chunks.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+45"/>
        <source>Delete %n document(s) from “%1”? This cannot be undone.</source>
        <translation>
            <numerusform>Delete %n document from “%1”? This cannot be undone.</numerusform>
            <numerusform>Delete %n documents from “%1”? This cannot be undone.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::ui::KnowledgePicker</name>
    <message numerus="yes">
        <location filename="../ui/knowledgepicker.cpp" line="+93"/>
        <source>%n document(s)</source>
        <translation>
            <numerusform>%n document</numerusform>
            <numerusform>%n documents</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%1 (%n document(s))</source>
        <translation>
            <numerusform>%1 (%n document)</numerusform>
            <numerusform>%1 (%n documents)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::ui::LivePane</name>
    <message numerus="yes">
        <location filename="../ui/livepane.cpp" line="+255"/>
        <source>%n live call(s)</source>
        <translation>
            <numerusform>%n live call</numerusform>
            <numerusform>%n live calls</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%1 of %n live call(s)</source>
        <translation>
            <numerusform>%1 of %n live call</numerusform>
            <numerusform>%1 of %n live calls</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::ui::MainWindow</name>
    <message numerus="yes">
        <location filename="../ui/mainwindow.cpp" line="+441"/>
        <source>Live: reconnecting in %n s</source>
        <translation>
            <numerusform>Live: reconnecting in %n s</numerusform>
            <numerusform>Live: reconnecting in %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::ui::Notifier</name>
    <message numerus="yes">
        <location filename="../ui/notifier.cpp" line="+125"/>
        <source>%n more alert(s) on live calls</source>
        <translation>
            <numerusform>%n more alert on live calls</numerusform>
            <numerusform>%n more alerts on live calls</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::ui::SearchResults</name>
    <message numerus="yes">
        <location filename="../ui/searchresults.cpp" line="+175"/>
        <source>%n matching line(s)</source>
        <translation>
            <numerusform>%n matching line</numerusform>
            <numerusform>%n matching lines</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::ui::SentimentChart</name>
    <message numerus="yes">
        <location filename="../ui/sentimentchart.cpp" line="+292"/>
        <source>%n point(s), %1 negative; latest %2 at %3</source>
        <translation>
            <numerusform>%n point, %1 negative; latest %2 at %3</numerusform>
            <numerusform>%n points, %1 negative; latest %2 at %3</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sb::ui::TextChunkDialog</name>
    <message numerus="yes">
        <location filename="../ui/textchunkdialog.cpp" line="+124"/>
        <source>%n chunk(s)</source>
        <translation>
            <numerusform>%n chunk</numerusform>
            <numerusform>%n chunks</numerusform>
        </translation>
    </message>
</context>
</TS>
