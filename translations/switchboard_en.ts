<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>sb::ui::MainWindow</name>
    <message numerus="yes">
        <location filename="../ui/mainwindow.cpp" line="+165"/>
        <source>Connected · %n agent(s) loaded</source>
        <translation>
            <numerusform>Connected · %n agent loaded</numerusform>
            <numerusform>Connected · %n agents loaded</numerusform>
        </translation>
    </message>
</context>
</TS>
