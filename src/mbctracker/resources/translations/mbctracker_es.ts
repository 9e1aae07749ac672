<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>ChangeLogView</name>
    <message>
        <source>This course</source>
        <translation>Este curso</translation>
    </message>
    <message>
        <source>This patient (all courses)</source>
        <translation>Este paciente (todos los cursos)</translation>
    </message>
    <message>
        <source>Change log scope</source>
        <translation>Alcance del registro de cambios</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Exportar CSV…</translation>
    </message>
    <message>
        <source>Export the change log as CSV</source>
        <translation>Exportar el registro de cambios como CSV</translation>
    </message>
    <message>
        <source>Change log</source>
        <translation>Registro de cambios</translation>
    </message>
    <message>
        <source>Read-only audit trail: every create, correction and delete is kept.</source>
        <translation>Registro de auditoría de solo lectura: se conserva cada alta, corrección y borrado.</translation>
    </message>
    <message>
        <source>Export change log</source>
        <translation>Exportar registro de cambios</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
        <source>Cannot write {0}: {1}.</source>
        <translation>No se puede escribir {0}: {1}.</translation>
    </message>
</context>
<context>
    <name>Column</name>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>Fase</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Advertencias</translation>
    </message>
    <message>
        <source>Side effects</source>
        <translation>Efectos secundarios</translation>
    </message>
    <message>
        <source>As-needed</source>
        <translation>A demanda</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notas</translation>
    </message>
    <message>
        <source>Instrument</source>
        <translation>Instrumento</translation>
    </message>
    <message>
        <source>Timepoint</source>
        <translation>Momento</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Sesión</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Band</source>
        <translation>Banda</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Ítems</translation>
    </message>
    <message>
        <source>Difficulty</source>
        <translation>Dificultad</translation>
    </message>
    <message>
        <source>Safety</source>
        <translation>Seguridad</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Evento</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Descripción</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Quién</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Registro</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Acción</translation>
    </message>
    <message>
        <source>Changes (old -&gt; new)</source>
        <translation>Cambios (antes -&gt; después)</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <source>Correct {0} of {1:%Y-%m-%d %H:%M}</source>
        <translation>Corregir {0} del {1:%Y-%m-%d %H:%M}</translation>
    </message>
    <message>
        <source>Assessed at</source>
        <translation>Evaluado el</translation>
    </message>
    <message>
        <source>The previous values stay in the change log.</source>
        <translation>Los valores anteriores quedan en el registro de cambios.</translation>
    </message>
    <message>
        <source>Assessed &amp;at:</source>
        <translation>Evalu&amp;ado el:</translation>
    </message>
</context>
<context>
    <name>CourseAxis</name>
    <message>
        <source>BL</source>
        <translation>Basal</translation>
    </message>
</context>
<context>
    <name>CourseSummaryPanel</name>
    <message>
        <source>Course summary</source>
        <translation>Resumen del curso</translation>
    </message>
    <message>
        <source>&lt;p class=&apos;muted&apos;&gt;Select a patient.&lt;/p&gt;</source>
        <translation>&lt;p class=&apos;muted&apos;&gt;Seleccione un paciente.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p class=&apos;muted&apos;&gt;No course yet. Start one with Course → Start course.&lt;/p&gt;</source>
        <translation>&lt;p class=&apos;muted&apos;&gt;Aún no hay curso. Inicie uno con Curso → Iniciar curso.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>CourseView</name>
    <message>
        <source>No patient selected</source>
        <translation>Ningún paciente seleccionado</translation>
    </message>
    <message>
        <source>Course</source>
        <translation>Curso</translation>
    </message>
    <message>
        <source>Course phase</source>
        <translation>Fase del curso</translation>
    </message>
    <message>
        <source>Sessions per phase</source>
        <translation>Sesiones por fase</translation>
    </message>
    <message>
        <source>Open safety flags</source>
        <translation>Alertas de seguridad abiertas</translation>
    </message>
    <message>
        <source>Record safety action…</source>
        <translation>Registrar acción de seguridad…</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sesiones</translation>
    </message>
    <message>
        <source>Assessments</source>
        <translation>Evaluaciones</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Eventos</translation>
    </message>
    <message>
        <source>Edit patient…</source>
        <translation>Editar paciente…</translation>
    </message>
    <message>
        <source>Course:</source>
        <translation>Curso:</translation>
    </message>
    <message>
        <source>Phase:</source>
        <translation>Fase:</translation>
    </message>
    <message>
        <source>New entry…</source>
        <translation>Nueva entrada…</translation>
    </message>
    <message>
        <source>Pre-session scores (Ctrl+E)</source>
        <translation>Puntuaciones previas a la sesión (Ctrl+E)</translation>
    </message>
    <message>
        <source>Record session…</source>
        <translation>Registrar sesión…</translation>
    </message>
    <message>
        <source>Session details (Ctrl+R)</source>
        <translation>Detalles de la sesión (Ctrl+R)</translation>
    </message>
    <message>
        <source>Link to session…</source>
        <translation>Vincular a sesión…</translation>
    </message>
    <message>
        <source>Link the selected assessment to a session, or back to the automatic rule (Ctrl+L)</source>
        <translation>Vincular la evaluación seleccionada a una sesión, o volver a la regla automática (Ctrl+L)</translation>
    </message>
    <message>
        <source>Event…</source>
        <translation>Evento…</translation>
    </message>
    <message>
        <source>Hospitalization, ED visit, adverse event, dropout</source>
        <translation>Hospitalización, visita a urgencias, evento adverso, abandono</translation>
    </message>
    <message>
        <source>Edit course…</source>
        <translation>Editar curso…</translation>
    </message>
    <message>
        <source>Plan, thresholds, diagnosis, medications (Ctrl+Shift+C)</source>
        <translation>Plan, umbrales, diagnóstico, medicación (Ctrl+Shift+C)</translation>
    </message>
    <message>
        <source>End course…</source>
        <translation>Finalizar curso…</translation>
    </message>
    <message>
        <source>Completed or discontinued</source>
        <translation>Completado o interrumpido</translation>
    </message>
    <message>
        <source>Start course…</source>
        <translation>Iniciar curso…</translation>
    </message>
    <message>
        <source>A new course for this patient</source>
        <translation>Un curso nuevo para este paciente</translation>
    </message>
    <message>
        <source>&amp;Trajectory</source>
        <translation>&amp;Trayectoria</translation>
    </message>
    <message>
        <source>&amp;Sessions</source>
        <translation>&amp;Sesiones</translation>
    </message>
    <message>
        <source>&amp;Assessments</source>
        <translation>&amp;Evaluaciones</translation>
    </message>
    <message>
        <source>E&amp;vents</source>
        <translation>E&amp;ventos</translation>
    </message>
    <message>
        <source>Change &amp;log</source>
        <translation>Re&amp;gistro de cambios</translation>
    </message>
    <message>
        <source>V&amp;itals</source>
        <translation>S&amp;ignos vitales</translation>
    </message>
    <message>
        <source>Find a patient (Ctrl+F) or register one (Ctrl+N).</source>
        <translation>Busque un paciente (Ctrl+F) o registre uno (Ctrl+N).</translation>
    </message>
    <message>
        <source>born {0:%Y-%m-%d} ({1})</source>
        <translation>nacido el {0:%Y-%m-%d} ({1})</translation>
    </message>
    <message>
        <source>sex not recorded</source>
        <translation>sexo no registrado</translation>
    </message>
    <message>
        <source>comorbidities: </source>
        <translation>comorbilidades: </translation>
    </message>
    <message>
        <source>{0} · from {1:%Y-%m-%d}</source>
        <translation>{0} · desde el {1:%Y-%m-%d}</translation>
    </message>
    <message>
        <source>No open safety flags</source>
        <translation>Sin alertas de seguridad abiertas</translation>
    </message>
    <message>
        <source>Reopen course</source>
        <translation>Reabrir curso</translation>
    </message>
    <message>
        <source>Sessions: {0}</source>
        <translation>Sesiones: {0}</translation>
    </message>
    <message>
        <source>⚠ {0} open safety flag(s): latest {1:%Y-%m-%d} {2} - no action recorded yet.</source>
        <translation>⚠ {0} alerta(s) de seguridad abierta(s): la última {1:%Y-%m-%d} {2} - aún sin acción registrada.</translation>
    </message>
</context>
<context>
    <name>EditCourseDialog</name>
    <message>
        <source>Edit course - {0}</source>
        <translation>Editar curso - {0}</translation>
    </message>
    <message>
        <source>Start date</source>
        <translation>Fecha de inicio</translation>
    </message>
    <message>
        <source>&amp;Start date:</source>
        <translation>Fecha de &amp;inicio:</translation>
    </message>
    <message>
        <source>&amp;Planned sessions:</source>
        <translation>Sesiones &amp;previstas:</translation>
    </message>
    <message>
        <source>Planned sessions</source>
        <translation>Sesiones previstas</translation>
    </message>
    <message>
        <source>Reason for the threshold change</source>
        <translation>Motivo del cambio de umbral</translation>
    </message>
    <message>
        <source>required when a threshold changes</source>
        <translation>obligatorio cuando cambia un umbral</translation>
    </message>
    <message>
        <source>Reason for &amp;change:</source>
        <translation>Motivo del &amp;cambio:</translation>
    </message>
    <message>
        <source>Reason for change</source>
        <translation>Motivo del cambio</translation>
    </message>
    <message>
        <source>Diagnosis</source>
        <translation>Diagnóstico</translation>
    </message>
    <message>
        <source>Current medications</source>
        <translation>Medicación actual</translation>
    </message>
    <message>
        <source>Prior treatment trials</source>
        <translation>Tratamientos previos</translation>
    </message>
    <message>
        <source>Prescriber</source>
        <translation>Prescriptor</translation>
    </message>
    <message>
        <source>name and credentials</source>
        <translation>nombre y titulación</translation>
    </message>
    <message>
        <source>Course notes</source>
        <translation>Notas del curso</translation>
    </message>
    <message>
        <source>&amp;Diagnosis:</source>
        <translation>&amp;Diagnóstico:</translation>
    </message>
    <message>
        <source>Current &amp;medications:</source>
        <translation>&amp;Medicación actual:</translation>
    </message>
    <message>
        <source>Prior &amp;treatment trials:</source>
        <translation>&amp;Tratamientos previos:</translation>
    </message>
    <message>
        <source>Pr&amp;escriber:</source>
        <translation>Pr&amp;escriptor:</translation>
    </message>
    <message>
        <source>&amp;Notes:</source>
        <translation>&amp;Notas:</translation>
    </message>
</context>
<context>
    <name>EndCourseDialog</name>
    <message>
        <source>End course</source>
        <translation>Finalizar curso</translation>
    </message>
    <message>
        <source>End date</source>
        <translation>Fecha de fin</translation>
    </message>
    <message>
        <source>(choose a reason)</source>
        <translation>(elija un motivo)</translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation>E&amp;stado:</translation>
    </message>
    <message>
        <source>Course status</source>
        <translation>Estado del curso</translation>
    </message>
    <message>
        <source>&amp;End date:</source>
        <translation>Fecha de &amp;fin:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Motivo:</translation>
    </message>
    <message>
        <source>Discontinuation reason</source>
        <translation>Motivo de la interrupción</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>&amp;Descripción:</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Descripción</translation>
    </message>
    <message>
        <source>no reason</source>
        <translation>sin motivo</translation>
    </message>
    <message>
        <source>The dropout recorded on {0:%Y-%m-%d} ({1}) is this course&apos;s dropout: no second one is added.</source>
        <translation>El abandono registrado el {0:%Y-%m-%d} ({1}) es el abandono de este curso: no se añade otro.</translation>
    </message>
</context>
<context>
    <name>EntryDialog</name>
    <message>
        <source>New entry - {0} ({1})</source>
        <translation>Nueva entrada - {0} ({1})</translation>
    </message>
    <message>
        <source>Assessed at</source>
        <translation>Evaluado el</translation>
    </message>
    <message>
        <source>Instruments</source>
        <translation>Instrumentos</translation>
    </message>
    <message>
        <source>Timepoint</source>
        <translation>Momento</translation>
    </message>
    <message>
        <source>Linked session</source>
        <translation>Sesión vinculada</translation>
    </message>
    <message>
        <source>Automatic (same day, or the next session within {0} days)</source>
        <translation>Automática (el mismo día, o la siguiente sesión en {0} días)</translation>
    </message>
    <message>
        <source>Not linked</source>
        <translation>Sin vincular</translation>
    </message>
    <message>
        <source>Session {0} - {1:%Y-%m-%d %H:%M}</source>
        <translation>Sesión {0} - {1:%Y-%m-%d %H:%M}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; · {1} · {2} · sessions {3}</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt; · {1} · {2} · sesiones {3}</translation>
    </message>
    <message>
        <source>Assessed &amp;at:</source>
        <translation>Evalu&amp;ado el:</translation>
    </message>
    <message>
        <source>&amp;Timepoint:</source>
        <translation>&amp;Momento:</translation>
    </message>
    <message>
        <source>&amp;Linked session:</source>
        <translation>Sesión &amp;vinculada:</translation>
    </message>
    <message>
        <source>Save (Enter)</source>
        <translation>Guardar (Intro)</translation>
    </message>
    <message>
        <source>Save this instrument</source>
        <translation>Guardar este instrumento</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Cerrar (Esc)</translation>
    </message>
    <message>
        <source>Close without saving the current instrument</source>
        <translation>Cerrar sin guardar el instrumento actual</translation>
    </message>
    <message>
        <source>Enter at least one {0} item</source>
        <translation>Introduzca al menos un ítem de {0}</translation>
    </message>
    <message>
        <source>  ⚠ Safety flag left OPEN.</source>
        <translation>  ⚠ Alerta de seguridad ABIERTA.</translation>
    </message>
    <message>
        <source>  Safety action recorded.</source>
        <translation>  Acción de seguridad registrada.</translation>
    </message>
    <message>
        <source>Discard typed answers?</source>
        <translation>¿Descartar las respuestas escritas?</translation>
    </message>
    <message>
        <source>Answers typed for {0} are not saved. Discard them and close?</source>
        <translation>Las respuestas escritas para {0} no están guardadas. ¿Descartarlas y cerrar?</translation>
    </message>
    <message>
        <source>&amp;Keep typing</source>
        <translation>&amp;Seguir escribiendo</translation>
    </message>
    <message>
        <source>&amp;Discard and close</source>
        <translation>&amp;Descartar y cerrar</translation>
    </message>
</context>
<context>
    <name>EntryForm</name>
    <message>
        <source>{0} entry form ({1})</source>
        <translation>Formulario de {0} ({1})</translation>
    </message>
    <message>
        <source>{0} running total</source>
        <translation>Total acumulado de {0}</translation>
    </message>
    <message>
        <source>{0} safety alert</source>
        <translation>Alerta de seguridad de {0}</translation>
    </message>
    <message>
        <source>Keys: digit = answer and next · Space = skip (missing) · Backspace = clear · ↑/↓ = move · Enter = save · Esc = cancel</source>
        <translation>Teclas: dígito = responder y seguir · Espacio = saltar (falta) · Retroceso = borrar · ↑/↓ = mover · Intro = guardar · Esc = cancelar</translation>
    </message>
    <message>
        <source>{0} answer scale</source>
        <translation>Escala de respuesta de {0}</translation>
    </message>
    <message>
        <source>All {0} answers are entered; {1} was not entered (↑ goes back to change one, Enter saves)</source>
        <translation>Todas las respuestas de {0} están introducidas; no se introdujo {1} (↑ vuelve para cambiar una, Intro guarda)</translation>
    </message>
    <message>
        <source>{0} items</source>
        <translation>los ítems de {0}</translation>
    </message>
    <message>
        <source>{0} are {1}-{2}; {3} was not entered</source>
        <translation>{0} van de {1} a {2}; no se introdujo {3}</translation>
    </message>
    <message>
        <source>Item {0} of {1}: {2}; answer {3}</source>
        <translation>Ítem {0} de {1}: {2}; respuesta {3}</translation>
    </message>
    <message>
        <source>{0}; answer {1}</source>
        <translation>{0}; respuesta {1}</translation>
    </message>
    <message>
        <source>All answers entered; Enter saves, Up goes back</source>
        <translation>Todas las respuestas introducidas; Intro guarda, Arriba vuelve</translation>
    </message>
</context>
<context>
    <name>ErrorLabel</name>
    <message>
        <source>Error message</source>
        <translation>Mensaje de error</translation>
    </message>
</context>
<context>
    <name>EventDialog</name>
    <message>
        <source>Correct event</source>
        <translation>Corregir evento</translation>
    </message>
    <message>
        <source>Record an event</source>
        <translation>Registrar un evento</translation>
    </message>
    <message>
        <source>Event date</source>
        <translation>Fecha del evento</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(ninguno)</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Tipo:</translation>
    </message>
    <message>
        <source>Event kind</source>
        <translation>Tipo de evento</translation>
    </message>
    <message>
        <source>&amp;Date:</source>
        <translation>&amp;Fecha:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Motivo:</translation>
    </message>
    <message>
        <source>Dropout reason</source>
        <translation>Motivo del abandono</translation>
    </message>
    <message>
        <source>D&amp;escription:</source>
        <translation>D&amp;escripción:</translation>
    </message>
    <message>
        <source>Event description</source>
        <translation>Descripción del evento</translation>
    </message>
</context>
<context>
    <name>HeatmapModel</name>
    <message>
        <source>{0:%Y-%m-%d %H:%M} · total {1}</source>
        <translation>{0:%Y-%m-%d %H:%M} · total {1}</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>Keyboard reference and guide</source>
        <translation>Referencia de teclado y guía</translation>
    </message>
</context>
<context>
    <name>IdleCurtain</name>
    <message>
        <source>&amp;Continue</source>
        <translation>&amp;Continuar</translation>
    </message>
    <message>
        <source>Locked after {0} minute(s) without input: patient data is hidden.
Press Enter to continue.</source>
        <translation>Bloqueado tras {0} minuto(s) sin actividad: los datos del paciente están ocultos.
Pulse Intro para continuar.</translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <source>Locked after {0} minute(s) without input: the next person signs in.</source>
        <translation>Bloqueado tras {0} minuto(s) sin actividad: la siguiente persona inicia sesión.</translation>
    </message>
</context>
<context>
    <name>ItemHeatmap</name>
    <message>
        <source>Item view instrument</source>
        <translation>Instrumento de la vista de ítems</translation>
    </message>
    <message>
        <source>Item responses over time</source>
        <translation>Respuestas por ítem a lo largo del tiempo</translation>
    </message>
    <message>
        <source>Items over time</source>
        <translation>Ítems a lo largo del tiempo</translation>
    </message>
</context>
<context>
    <name>ItemRow</name>
    <message>
        <source>Safety item: any answer that meets the rule raises a flag</source>
        <translation>Ítem de seguridad: cualquier respuesta que cumpla la regla abre una alerta</translation>
    </message>
    <message>
        <source>{0} item {1} {2}</source>
        <translation>{0} ítem {1} {2}</translation>
    </message>
</context>
<context>
    <name>LinkSessionDialog</name>
    <message>
        <source>Link {0} of {1:%Y-%m-%d %H:%M} to a session</source>
        <translation>Vincular {0} del {1:%Y-%m-%d %H:%M} a una sesión</translation>
    </message>
    <message>
        <source>Session to link</source>
        <translation>Sesión a vincular</translation>
    </message>
    <message>
        <source>not linked</source>
        <translation>sin vincular</translation>
    </message>
    <message>
        <source>set by hand</source>
        <translation>fijado a mano</translation>
    </message>
    <message>
        <source>linked automatically</source>
        <translation>vinculado automáticamente</translation>
    </message>
    <message>
        <source>session {0} ({1})</source>
        <translation>sesión {0} ({1})</translation>
    </message>
    <message>
        <source>Automatic: same day, or the next session within {0} days</source>
        <translation>Automática: el mismo día, o la siguiente sesión en {0} días</translation>
    </message>
    <message>
        <source>Not linked</source>
        <translation>Sin vincular</translation>
    </message>
    <message>
        <source>Session {0} · {1:%Y-%m-%d %H:%M} · {2}</source>
        <translation>Sesión {0} · {1:%Y-%m-%d %H:%M} · {2}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Saved patient.</source>
        <translation>Paciente guardado.</translation>
    </message>
    <message>
        <source>Saved course.</source>
        <translation>Curso guardado.</translation>
    </message>
    <message>
        <source>Saved assessment.</source>
        <translation>Evaluación guardada.</translation>
    </message>
    <message>
        <source>Saved session.</source>
        <translation>Sesión guardada.</translation>
    </message>
    <message>
        <source>Saved event.</source>
        <translation>Evento guardado.</translation>
    </message>
    <message>
        <source>Saved safety action.</source>
        <translation>Acción de seguridad guardada.</translation>
    </message>
    <message>
        <source>Saved people list.</source>
        <translation>Lista de personas guardada.</translation>
    </message>
    <message>
        <source>Open safety flags in the clinic</source>
        <translation>Alertas de seguridad abiertas en la clínica</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hoy</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;New database…</source>
        <translation>&amp;Nueva base de datos…</translation>
    </message>
    <message>
        <source>&amp;Open database…</source>
        <translation>&amp;Abrir base de datos…</translation>
    </message>
    <message>
        <source>Open a clinic ser&amp;ver…</source>
        <translation>Abrir un servidor de la &amp;clínica…</translation>
    </message>
    <message>
        <source>&amp;Save summary as PDF…</source>
        <translation>&amp;Guardar resumen como PDF…</translation>
    </message>
    <message>
        <source>&amp;Print summary…</source>
        <translation>&amp;Imprimir resumen…</translation>
    </message>
    <message>
        <source>&amp;Export change log (CSV)…</source>
        <translation>&amp;Exportar registro de cambios (CSV)…</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>Im&amp;portar…</translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation>&amp;Hacer copia de seguridad ahora</translation>
    </message>
    <message>
        <source>&amp;Restore from backup…</source>
        <translation>&amp;Restaurar desde copia de seguridad…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Edición</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Preferencias…</translation>
    </message>
    <message>
        <source>P&amp;eople (who signs in)…</source>
        <translation>Pe&amp;rsonas (quién inicia sesión)…</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>&amp;Cerrar sesión</translation>
    </message>
    <message>
        <source>&amp;Patient</source>
        <translation>&amp;Paciente</translation>
    </message>
    <message>
        <source>&amp;New patient…</source>
        <translation>&amp;Nuevo paciente…</translation>
    </message>
    <message>
        <source>&amp;Find patient</source>
        <translation>&amp;Buscar paciente</translation>
    </message>
    <message>
        <source>&amp;Edit patient…</source>
        <translation>&amp;Editar paciente…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Today (worklist)</source>
        <translation>&amp;Hoy (lista de trabajo)</translation>
    </message>
    <message>
        <source>&amp;Patient list</source>
        <translation>&amp;Lista de pacientes</translation>
    </message>
    <message>
        <source>T&amp;heme</source>
        <translation>T&amp;ema</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>&amp;Course</source>
        <translation>&amp;Curso</translation>
    </message>
    <message>
        <source>New &amp;entry (pre-session scores)…</source>
        <translation>Nueva &amp;entrada (puntuaciones previas a la sesión)…</translation>
    </message>
    <message>
        <source>Record &amp;session…</source>
        <translation>Registrar &amp;sesión…</translation>
    </message>
    <message>
        <source>&amp;Correct selected session…</source>
        <translation>&amp;Corregir la sesión seleccionada…</translation>
    </message>
    <message>
        <source>Correct selected &amp;assessment…</source>
        <translation>Corregir la evaluación seleccion&amp;ada…</translation>
    </message>
    <message>
        <source>&amp;Link selected assessment to session…</source>
        <translation>&amp;Vincular la evaluación seleccionada a una sesión…</translation>
    </message>
    <message>
        <source>Delete selected assess&amp;ment (entered in error)…</source>
        <translation>&amp;Borrar la evaluación seleccionada (introducida por error)…</translation>
    </message>
    <message>
        <source>Record sa&amp;fety action…</source>
        <translation>Registrar acción de se&amp;guridad…</translation>
    </message>
    <message>
        <source>Session interval (T&amp;oday view)…</source>
        <translation>Intervalo entre sesio&amp;nes (vista Hoy)…</translation>
    </message>
    <message>
        <source>&amp;Restore deleted record (select its delete entry in the change log)</source>
        <translation>&amp;Restaurar un registro borrado (seleccione su entrada de borrado en el registro de cambios)</translation>
    </message>
    <message>
        <source>Delete selected session (entered in error)…</source>
        <translation>Borrar la sesión seleccionada (introducida por error)…</translation>
    </message>
    <message>
        <source>Record e&amp;vent…</source>
        <translation>Registrar even&amp;to…</translation>
    </message>
    <message>
        <source>Correct selected eve&amp;nt…</source>
        <translation>Corregir el evento selecci&amp;onado…</translation>
    </message>
    <message>
        <source>Delete selected event (entered in error)…</source>
        <translation>Borrar el evento seleccionado (introducido por error)…</translation>
    </message>
    <message>
        <source>S&amp;tart course…</source>
        <translation>&amp;Iniciar curso…</translation>
    </message>
    <message>
        <source>Ed&amp;it course (plan, thresholds, record)…</source>
        <translation>E&amp;ditar curso (plan, umbrales, registro)…</translation>
    </message>
    <message>
        <source>P&amp;hases (dates of phase changes)…</source>
        <translation>Fases (fec&amp;has de los cambios de fase)…</translation>
    </message>
    <message>
        <source>En&amp;d or reopen course…</source>
        <translation>&amp;Finalizar o reabrir curso…</translation>
    </message>
    <message>
        <source>C&amp;linic</source>
        <translation>C&amp;línica</translation>
    </message>
    <message>
        <source>&amp;Outcomes…</source>
        <translation>&amp;Resultados…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>&amp;Keyboard reference and guide</source>
        <translation>&amp;Referencia de teclado y guía</translation>
    </message>
    <message>
        <source>&amp;About mbctracker</source>
        <translation>&amp;Acerca de mbctracker</translation>
    </message>
    <message>
        <source>Language: {0}. It applies the next time mbctracker starts.</source>
        <translation>Idioma: {0}. Se aplica la próxima vez que se inicie mbctracker.</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>Del &amp;sistema</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Claro</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Oscuro</translation>
    </message>
    <message>
        <source>mbctracker - {0}</source>
        <translation>mbctracker - {0}</translation>
    </message>
    <message>
        <source>Database: {0}</source>
        <translation>Base de datos: {0}</translation>
    </message>
    <message>
        <source>{0} patient(s) listed</source>
        <translation>{0} paciente(s) en la lista</translation>
    </message>
    <message>
        <source>⚠ {0} open safety flag(s), {1} patient(s)</source>
        <translation>⚠ {0} alerta(s) de seguridad abierta(s), {1} paciente(s)</translation>
    </message>
    <message>
        <source>Show: Open safety flags only (Alt+W) lists them</source>
        <translation>Mostrar: Solo alertas de seguridad abiertas (Alt+W) las lista</translation>
    </message>
    <message>
        <source>No open safety flags</source>
        <translation>Sin alertas de seguridad abiertas</translation>
    </message>
    <message>
        <source>Select a patient with a course first (Ctrl+F).</source>
        <translation>Seleccione primero un paciente con un curso (Ctrl+F).</translation>
    </message>
    <message>
        <source>Sessions are recorded on an active course.</source>
        <translation>Las sesiones se registran en un curso activo.</translation>
    </message>
    <message>
        <source>Select a session on the Sessions tab first.</source>
        <translation>Seleccione primero una sesión en la pestaña Sesiones.</translation>
    </message>
    <message>
        <source>Select an assessment on the Assessments tab first.</source>
        <translation>Seleccione primero una evaluación en la pestaña Evaluaciones.</translation>
    </message>
    <message>
        <source>Select the delete entry on the Change log tab.</source>
        <translation>Seleccione la entrada de borrado en la pestaña Registro de cambios.</translation>
    </message>
    <message>
        <source>Select an event on the Events tab first.</source>
        <translation>Seleccione primero un evento en la pestaña Eventos.</translation>
    </message>
    <message>
        <source>No open safety flag for this patient.</source>
        <translation>Este paciente no tiene alertas de seguridad abiertas.</translation>
    </message>
    <message>
        <source>About mbctracker</source>
        <translation>Acerca de mbctracker</translation>
    </message>
    <message>
        <source>Opened {0}</source>
        <translation>Abierto {0}</translation>
    </message>
    <message>
        <source>Updated: another workstation saved.</source>
        <translation>Actualizado: otro puesto de trabajo guardó cambios.</translation>
    </message>
    <message>
        <source>Preferences saved for every workstation</source>
        <translation>Preferencias guardadas para todos los puestos</translation>
    </message>
    <message>
        <source>Saved patient {0} ({1})</source>
        <translation>Paciente guardado: {0} ({1})</translation>
    </message>
    <message>
        <source>Someone else saved first: the current version was reloaded.</source>
        <translation>Otra persona guardó antes: se ha recargado la versión actual.</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <source>Backup after changes failed: {0}</source>
        <translation>Falló la copia de seguridad tras los cambios: {0}</translation>
    </message>
    <message>
        <source>Backup written: {0}</source>
        <translation>Copia de seguridad escrita: {0}</translation>
    </message>
</context>
<context>
    <name>OutcomesWindow</name>
    <message>
        <source>Clinic outcomes</source>
        <translation>Resultados de la clínica</translation>
    </message>
    <message>
        <source>From (YYYY-MM-DD)</source>
        <translation>Desde (AAAA-MM-DD)</translation>
    </message>
    <message>
        <source>To (YYYY-MM-DD)</source>
        <translation>Hasta (AAAA-MM-DD)</translation>
    </message>
    <message>
        <source>All modalities</source>
        <translation>Todas las modalidades</translation>
    </message>
    <message>
        <source>Clinician (rater)</source>
        <translation>Clínico (evaluador)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Ejecutar</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Cancelar</translation>
    </message>
    <message>
        <source>Courses starting</source>
        <translation>Cursos que empiezan</translation>
    </message>
    <message>
        <source>Choose filters and press Run (Enter).</source>
        <translation>Elija los filtros y pulse Ejecutar (Intro).</translation>
    </message>
    <message>
        <source>&amp;Rates</source>
        <translation>&amp;Tasas</translation>
    </message>
    <message>
        <source>&amp;6-week change</source>
        <translation>Cambio a las &amp;6 semanas</translation>
    </message>
    <message>
        <source>&amp;Trajectories</source>
        <translation>T&amp;rayectorias</translation>
    </message>
    <message>
        <source>R&amp;etention</source>
        <translation>Rete&amp;nción</translation>
    </message>
    <message>
        <source>Mi&amp;xed model</source>
        <translation>Modelo mi&amp;xto</translation>
    </message>
    <message>
        <source>Patients: select a row, a bar or a class</source>
        <translation>Pacientes: seleccione una fila, una barra o una clase</translation>
    </message>
    <message>
        <source>Modality</source>
        <translation>Modalidad</translation>
    </message>
    <message>
        <source>Instrument</source>
        <translation>Instrumento</translation>
    </message>
    <message>
        <source>Evaluable</source>
        <translation>Evaluables</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Respuesta</translation>
    </message>
    <message>
        <source>Partial</source>
        <translation>Parcial</translation>
    </message>
    <message>
        <source>Remission</source>
        <translation>Remisión</translation>
    </message>
    <message>
        <source>{0} response</source>
        <translation>Respuesta de {0}</translation>
    </message>
    <message>
        <source>Mean change</source>
        <translation>Cambio medio</translation>
    </message>
    <message>
        <source>Adjusted difference</source>
        <translation>Diferencia ajustada</translation>
    </message>
    <message>
        <source>95% CI</source>
        <translation>IC 95%</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Grupo</translation>
    </message>
    <message>
        <source>Eligible courses</source>
        <translation>Cursos elegibles</translation>
    </message>
    <message>
        <source>Hospitalized</source>
        <translation>Hospitalizados</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Clase</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Proporción</translation>
    </message>
    <message>
        <source>APPA</source>
        <translation>APPA</translation>
    </message>
    <message>
        <source>Mean by visit</source>
        <translation>Media por visita</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>Alertas</translation>
    </message>
    <message>
        <source>Dropout reason</source>
        <translation>Motivo del abandono</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Número</translation>
    </message>
    <message>
        <source>Fit the mixed-effects models (slow; runs in the background)</source>
        <translation>Ajustar los modelos de efectos mixtos (lento; se ejecuta en segundo plano)</translation>
    </message>
    <message>
        <source>Intercept</source>
        <translation>Intercepto</translation>
    </message>
    <message>
        <source>Slope per visit (95% CI)</source>
        <translation>Pendiente por visita (IC 95%)</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Datos</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Hasta</translation>
    </message>
    <message>
        <source>Stopped; nothing was changed.</source>
        <translation>Detenido; no se cambió nada.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Iniciando…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Deteniendo…</translation>
    </message>
    <message>
        <source>{0} courses of {1} patients; data {2} to {3}</source>
        <translation>{0} cursos de {1} pacientes; datos del {2} al {3}</translation>
    </message>
    <message>
        <source>Adjusted comparison not run: {0}</source>
        <translation>Comparación ajustada no ejecutada: {0}</translation>
    </message>
    <message>
        <source>Adjusted difference from {0} (OLS, HC3 errors)</source>
        <translation>Diferencia ajustada respecto a {0} (MCO, errores HC3)</translation>
    </message>
    <message>
        <source>{0:+.2f} to {1:+.2f}</source>
        <translation>{0:+.2f} a {1:+.2f}</translation>
    </message>
    <message>
        <source>No C/M</source>
        <translation>Sin C/M</translation>
    </message>
    <message>
        <source>Relative risk not run: {0}</source>
        <translation>Riesgo relativo no ejecutado: {0}</translation>
    </message>
    <message>
        <source>Crude RR {0:.2f}; adjusted RR {1:.2f} (95% CI {2:.2f} to {3:.2f}), modified Poisson, HC0 errors</source>
        <translation>RR bruto {0:.2f}; RR ajustado {1:.2f} (IC 95% {2:.2f} a {3:.2f}), Poisson modificado, errores HC0</translation>
    </message>
    <message>
        <source>Not run: {0}</source>
        <translation>No ejecutado: {0}</translation>
    </message>
    <message>
        <source>{0} classes (lowest BIC)</source>
        <translation>{0} clases (BIC más bajo)</translation>
    </message>
    <message>
        <source>{0} patients, {1} visits</source>
        <translation>{0} pacientes, {1} visitas</translation>
    </message>
    <message>
        <source>did not converge: estimates not shown</source>
        <translation>no convergió: no se muestran estimaciones</translation>
    </message>
    <message>
        <source>Mixed-effects models fitted.</source>
        <translation>Modelos de efectos mixtos ajustados.</translation>
    </message>
    <message>
        <source>{0}, {1}: response</source>
        <translation>{0}, {1}: respuesta</translation>
    </message>
    <message>
        <source>{0} class {1}</source>
        <translation>{0} clase {1}</translation>
    </message>
    <message>
        <source>{0}: {1} patient(s)</source>
        <translation>{0}: {1} paciente(s)</translation>
    </message>
</context>
<context>
    <name>PatientDialog</name>
    <message>
        <source>Edit patient</source>
        <translation>Editar paciente</translation>
    </message>
    <message>
        <source>Register patient</source>
        <translation>Registrar paciente</translation>
    </message>
    <message>
        <source>MRN (required, unique)</source>
        <translation>MRN (obligatorio, único)</translation>
    </message>
    <message>
        <source>e.g. MRN-000123</source>
        <translation>p. ej. MRN-000123</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Nombre completo</translation>
    </message>
    <message>
        <source>Family name, given name</source>
        <translation>Apellidos, nombre</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Fecha de nacimiento</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>AAAA-MM-DD</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Sexo</translation>
    </message>
    <message>
        <source>- choose -</source>
        <translation>- elija -</translation>
    </message>
    <message>
        <source>Patient notes</source>
        <translation>Notas del paciente</translation>
    </message>
    <message>
        <source>&amp;MRN:</source>
        <translation>&amp;MRN:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <source>Date of &amp;birth:</source>
        <translation>&amp;Fecha de nacimiento:</translation>
    </message>
    <message>
        <source>&amp;Sex:</source>
        <translation>&amp;Sexo:</translation>
    </message>
    <message>
        <source>Comorbidity: {0}</source>
        <translation>Comorbilidad: {0}</translation>
    </message>
    <message>
        <source>Comorbidities:</source>
        <translation>Comorbilidades:</translation>
    </message>
    <message>
        <source>N&amp;otes:</source>
        <translation>N&amp;otas:</translation>
    </message>
    <message>
        <source>Possible duplicate patient</source>
        <translation>Posible paciente duplicado</translation>
    </message>
    <message>
        <source>Not saved: the same name and date of birth is registered as {0}.</source>
        <translation>No guardado: el mismo nombre y fecha de nacimiento ya están registrados como {0}.</translation>
    </message>
</context>
<context>
    <name>PatientListModel</name>
    <message>
        <source>{0} safety flag(s) without a recorded action</source>
        <translation>{0} alerta(s) de seguridad sin acción registrada</translation>
    </message>
    <message>
        <source>* prorated: one or more items were missing</source>
        <translation>* prorrateado: faltaban uno o más ítems</translation>
    </message>
    <message>
        <source>Course status: {0}</source>
        <translation>Estado del curso: {0}</translation>
    </message>
</context>
<context>
    <name>PatientPanel</name>
    <message>
        <source>All patients</source>
        <translation>Todos los pacientes</translation>
    </message>
    <message>
        <source>Open safety flags first</source>
        <translation>Alertas de seguridad abiertas primero</translation>
    </message>
    <message>
        <source>Open safety flags only</source>
        <translation>Solo alertas de seguridad abiertas</translation>
    </message>
    <message>
        <source>New patient…</source>
        <translation>Nuevo paciente…</translation>
    </message>
    <message>
        <source>Register a new patient</source>
        <translation>Registrar un paciente nuevo</translation>
    </message>
    <message>
        <source>Register a new patient (Ctrl+N)</source>
        <translation>Registrar un paciente nuevo (Ctrl+N)</translation>
    </message>
    <message>
        <source>Sho&amp;w:</source>
        <translation>Mostrar (&amp;W):</translation>
    </message>
    <message>
        <source>Search patients by name or MRN</source>
        <translation>Buscar pacientes por nombre o MRN</translation>
    </message>
    <message>
        <source>Find patient: name or MRN (Ctrl+F)</source>
        <translation>Buscar paciente: nombre o MRN (Ctrl+F)</translation>
    </message>
    <message>
        <source>Patient list filter: all patients or open safety flags</source>
        <translation>Filtro de la lista: todos los pacientes o alertas de seguridad abiertas</translation>
    </message>
    <message>
        <source>Patient list</source>
        <translation>Lista de pacientes</translation>
    </message>
    <message>
        <source>patient</source>
        <translation>paciente</translation>
    </message>
    <message>
        <source>patients</source>
        <translation>pacientes</translation>
    </message>
    <message>
        <source> with open safety flags</source>
        <translation> con alertas de seguridad abiertas</translation>
    </message>
    <message>
        <source> matching “{0}”</source>
        <translation> que coinciden con “{0}”</translation>
    </message>
</context>
<context>
    <name>PeopleDialog</name>
    <message>
        <source>People who sign in</source>
        <translation>Personas que inician sesión</translation>
    </message>
    <message>
        <source>People listed</source>
        <translation>Personas en la lista</translation>
    </message>
    <message>
        <source>&amp;Add person</source>
        <translation>&amp;Añadir persona</translation>
    </message>
    <message>
        <source>&amp;Deactivate / reactivate selected</source>
        <translation>&amp;Desactivar / reactivar la seleccionada</translation>
    </message>
    <message>
        <source>&amp;Reset selected person&apos;s PIN</source>
        <translation>&amp;Restablecer el PIN de la persona seleccionada</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <source>R&amp;ole:</source>
        <translation>R&amp;ol:</translation>
    </message>
    <message>
        <source>&amp;PIN (4-12 digits):</source>
        <translation>&amp;PIN (4-12 dígitos):</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source> (inactive)</source>
        <translation> (inactiva)</translation>
    </message>
    <message>
        <source>Added {0} ({1}).</source>
        <translation>Añadida: {0} ({1}).</translation>
    </message>
    <message>
        <source>Select a person in the list first.</source>
        <translation>Primero seleccione una persona de la lista.</translation>
    </message>
    <message>
        <source>{0} is active.</source>
        <translation>{0} está activa.</translation>
    </message>
    <message>
        <source>{0} is inactive.</source>
        <translation>{0} está inactiva.</translation>
    </message>
    <message>
        <source>New PIN set for {0}.</source>
        <translation>Nuevo PIN establecido para {0}.</translation>
    </message>
</context>
<context>
    <name>PhaseChangesDialog</name>
    <message>
        <source>Phases of this course</source>
        <translation>Fases de este curso</translation>
    </message>
    <message>
        <source>Phase changes</source>
        <translation>Cambios de fase</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>Fase</translation>
    </message>
    <message>
        <source>Starts on</source>
        <translation>Empieza el</translation>
    </message>
    <message>
        <source>&amp;Remove change</source>
        <translation>&amp;Quitar el cambio</translation>
    </message>
    <message>
        <source>&amp;Phase</source>
        <translation>&amp;Fase</translation>
    </message>
    <message>
        <source>&amp;Starts on</source>
        <translation>&amp;Empieza el</translation>
    </message>
    <message>
        <source>{0:%Y-%m-%d} · {1}</source>
        <translation>{0:%Y-%m-%d} · {1}</translation>
    </message>
    <message>
        <source> (course start)</source>
        <translation> (inicio del curso)</translation>
    </message>
    <message>
        <source>New phase change…</source>
        <translation>Nuevo cambio de fase…</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Letter (US)</source>
        <translation>Carta (EE. UU.)</translation>
    </message>
    <message>
        <source>Default ≥ 50% improvement from baseline, exactly 50% counts (CLINICAL.md)</source>
        <translation>Por defecto ≥ 50% de mejora respecto a la basal; exactamente 50% cuenta (CLINICAL.md)</translation>
    </message>
    <message>
        <source>Default ≥ 25% and below response (CLINICAL.md policy)</source>
        <translation>Por defecto ≥ 25% y por debajo de la respuesta (política de CLINICAL.md)</translation>
    </message>
    <message>
        <source>Empty = backups/ beside the database. A folder on another disk or a clinic share also survives a failed disk; it must exist and be writable.</source>
        <translation>Vacío = backups/ junto a la base de datos. Una carpeta en otro disco o en un recurso compartido de la clínica sobrevive también a un disco averiado; debe existir y permitir escritura.</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Preferencias</translation>
    </message>
    <message>
        <source>Preferences sections</source>
        <translation>Secciones de las preferencias</translation>
    </message>
    <message>
        <source>Follow-ups due after (days):</source>
        <translation>Seguimientos previstos a los (días):</translation>
    </message>
    <message>
        <source>Follow-ups due after, days</source>
        <translation>Seguimientos previstos a los días</translation>
    </message>
    <message>
        <source>Default 7, 30: 1 week and 1 month after the last infusion (J Affect Disord 2026)</source>
        <translation>Por defecto 7, 30: 1 semana y 1 mes después de la última infusión (J Affect Disord 2026)</translation>
    </message>
    <message>
        <source>Reference modality:</source>
        <translation>Modalidad de referencia:</translation>
    </message>
    <message>
        <source>Reference modality of the 6-week comparison</source>
        <translation>Modalidad de referencia de la comparación a 6 semanas</translation>
    </message>
    <message>
        <source>Default IV ketamine (docs/outcomes.md)</source>
        <translation>Por defecto ketamina IV (docs/outcomes.md)</translation>
    </message>
    <message>
        <source>Clinic &amp;name:</source>
        <translation>&amp;Nombre de la clínica:</translation>
    </message>
    <message>
        <source>Clinic name</source>
        <translation>Nombre de la clínica</translation>
    </message>
    <message>
        <source>Clinic a&amp;ddress:</source>
        <translation>&amp;Dirección de la clínica:</translation>
    </message>
    <message>
        <source>Clinic address</source>
        <translation>Dirección de la clínica</translation>
    </message>
    <message>
        <source>&amp;Paper size:</source>
        <translation>Tamaño del &amp;papel:</translation>
    </message>
    <message>
        <source>Paper size</source>
        <translation>Tamaño del papel</translation>
    </message>
    <message>
        <source>backups/ beside the database</source>
        <translation>backups/ junto a la base de datos</translation>
    </message>
    <message>
        <source>Ch&amp;oose…</source>
        <translation>&amp;Elegir…</translation>
    </message>
    <message>
        <source>Backup &amp;folder:</source>
        <translation>Carpe&amp;ta de copias:</translation>
    </message>
    <message>
        <source>Backup folder</source>
        <translation>Carpeta de copias de seguridad</translation>
    </message>
    <message>
        <source>Default 30 min; a copy is also made at every start and kept 7 days daily, 4 weeks weekly</source>
        <translation>Por defecto 30 min; también se hace una copia en cada inicio y se guardan 7 días diarias y 4 semanas semanales</translation>
    </message>
    <message>
        <source>&amp;Response ≥</source>
        <translation>&amp;Respuesta ≥</translation>
    </message>
    <message>
        <source>Response percent</source>
        <translation>Porcentaje de respuesta</translation>
    </message>
    <message>
        <source>P&amp;artial response ≥</source>
        <translation>Respuesta p&amp;arcial ≥</translation>
    </message>
    <message>
        <source>Partial percent</source>
        <translation>Porcentaje de respuesta parcial</translation>
    </message>
    <message>
        <source>{0} remission default ≤ {1} (CLINICAL.md)</source>
        <translation>Remisión de {0} por defecto ≤ {1} (CLINICAL.md)</translation>
    </message>
    <message>
        <source>&amp;MRN system (FHIR):</source>
        <translation>Sistema de &amp;MRN (FHIR):</translation>
    </message>
    <message>
        <source>MRN identifier system URI</source>
        <translation>URI del sistema de identificadores MRN</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <source>&amp;Backup after changes every</source>
        <translation>&amp;Copia de seguridad tras cambios cada</translation>
    </message>
    <message>
        <source>Backup interval in minutes</source>
        <translation>Intervalo de copia de seguridad en minutos</translation>
    </message>
    <message>
        <source>&amp;Lock when idle after</source>
        <translation>&amp;Bloquear tras inactividad de</translation>
    </message>
    <message>
        <source>Idle lock in minutes</source>
        <translation>Bloqueo por inactividad en minutos</translation>
    </message>
    <message>
        <source>Saved in the database for every workstation and written to the change log. Existing courses keep the thresholds they started with; new courses use these.</source>
        <translation>Se guarda en la base de datos para todos los puestos y se anota en el registro de cambios. Los cursos existentes conservan los umbrales con que empezaron; los nuevos usan estos.</translation>
    </message>
</context>
<context>
    <name>PrintPreview</name>
    <message>
        <source>Print preview - {0}</source>
        <translation>Vista previa de impresión - {0}</translation>
    </message>
    <message>
        <source>Page preview</source>
        <translation>Vista previa de la página</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Imprimir…</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Páginas</translation>
    </message>
    <message>
        <source>Page {0}</source>
        <translation>Página {0}</translation>
    </message>
</context>
<context>
    <name>ProcedureBar</name>
    <message>
        <source>Authorisation and motor threshold</source>
        <translation>Autorización y umbral motor</translation>
    </message>
    <message>
        <source>Motor threshold reminder</source>
        <translation>Recordatorio del umbral motor</translation>
    </message>
    <message>
        <source>A&amp;uthorised sessions…</source>
        <translation>Sesiones a&amp;utorizadas…</translation>
    </message>
    <message>
        <source>Motor threshold determined t&amp;oday</source>
        <translation>Umbral motor determinado h&amp;oy</translation>
    </message>
    <message>
        <source>No payer authorisation recorded</source>
        <translation>No hay autorización del pagador registrada</translation>
    </message>
    <message>
        <source>Authorised sessions</source>
        <translation>Sesiones autorizadas</translation>
    </message>
    <message>
        <source>Sessions the payer authorised:</source>
        <translation>Sesiones que autorizó el pagador:</translation>
    </message>
</context>
<context>
    <name>RemsDialog</name>
    <message>
        <source>REMS monitoring record · session {0}</source>
        <translation>Registro de monitorización REMS · sesión {0}</translation>
    </message>
    <message>
        <source>Lot number</source>
        <translation>Número de lote</translation>
    </message>
    <message>
        <source>Monitoring start</source>
        <translation>Inicio de la monitorización</translation>
    </message>
    <message>
        <source>Monitoring end</source>
        <translation>Fin de la monitorización</translation>
    </message>
    <message>
        <source>Ready to leave</source>
        <translation>Listo para irse</translation>
    </message>
    <message>
        <source>Respiratory status</source>
        <translation>Estado respiratorio</translation>
    </message>
    <message>
        <source>(not recorded)</source>
        <translation>(no registrado)</translation>
    </message>
    <message>
        <source>Concomitant: {0}</source>
        <translation>Concomitante: {0}</translation>
    </message>
    <message>
        <source>&amp;Lot number:</source>
        <translation>Número de &amp;lote:</translation>
    </message>
    <message>
        <source>Monitoring &amp;start:</source>
        <translation>&amp;Inicio de la monitorización:</translation>
    </message>
    <message>
        <source>Monitoring &amp;end:</source>
        <translation>&amp;Fin de la monitorización:</translation>
    </message>
    <message>
        <source>Ready to lea&amp;ve:</source>
        <translation>Lis&amp;to para irse:</translation>
    </message>
    <message>
        <source>&amp;Respiratory status:</source>
        <translation>Estado &amp;respiratorio:</translation>
    </message>
    <message>
        <source>Concomitant:</source>
        <translation>Concomitante:</translation>
    </message>
    <message>
        <source>REMS record saved with warnings</source>
        <translation>Registro REMS guardado con advertencias</translation>
    </message>
</context>
<context>
    <name>SafetyActionDialog</name>
    <message>
        <source>Safety flag - record the action taken</source>
        <translation>Alerta de seguridad - registre la acción realizada</translation>
    </message>
    <message>
        <source>Safety flag alert</source>
        <translation>Aviso de alerta de seguridad</translation>
    </message>
    <message>
        <source>
Recorded {0:%Y-%m-%d %H:%M}; total {1}.</source>
        <translation>
Registrado el {0:%Y-%m-%d %H:%M}; total {1}.</translation>
    </message>
    <message>
        <source>Safety flag</source>
        <translation>Alerta de seguridad</translation>
    </message>
    <message>
        <source>Action taken: {0}</source>
        <translation>Acción realizada: {0}</translation>
    </message>
    <message>
        <source>Action description</source>
        <translation>Descripción de la acción</translation>
    </message>
    <message>
        <source>What was done (required for Other)</source>
        <translation>Qué se hizo (obligatorio para Otra)</translation>
    </message>
    <message>
        <source>Record action</source>
        <translation>Registrar acción</translation>
    </message>
    <message>
        <source>Record the action taken</source>
        <translation>Registrar la acción realizada</translation>
    </message>
    <message>
        <source>Not now - keep the flag open</source>
        <translation>Ahora no - mantener la alerta abierta</translation>
    </message>
    <message>
        <source>Keep the safety flag open</source>
        <translation>Mantener abierta la alerta de seguridad</translation>
    </message>
    <message>
        <source>Action taken:</source>
        <translation>Acción realizada:</translation>
    </message>
    <message>
        <source>Until an action is recorded the flag stays on the patient list and course.</source>
        <translation>Hasta que se registre una acción, la alerta sigue en la lista de pacientes y en el curso.</translation>
    </message>
    <message>
        <source>Choose the action taken: {0}</source>
        <translation>Elija la acción realizada: {0}</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <source>Open a clinic server</source>
        <translation>Abrir un servidor de la clínica</translation>
    </message>
    <message>
        <source>The address your clinic&apos;s IT person gave you:</source>
        <translation>La dirección que le dio el responsable informático de su clínica:</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>&amp;Dirección:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Contraseña:</translation>
    </message>
</context>
<context>
    <name>SessionDialog</name>
    <message>
        <source>Correct session {0}</source>
        <translation>Corregir la sesión {0}</translation>
    </message>
    <message>
        <source>Record {0} session</source>
        <translation>Registrar sesión de {0}</translation>
    </message>
    <message>
        <source>Session date and time</source>
        <translation>Fecha y hora de la sesión</translation>
    </message>
    <message>
        <source>Session phase</source>
        <translation>Fase de la sesión</translation>
    </message>
    <message>
        <source>By date (the phase in force that day)</source>
        <translation>Por fecha (la fase vigente ese día)</translation>
    </message>
    <message>
        <source>Other side effects</source>
        <translation>Otros efectos secundarios</translation>
    </message>
    <message>
        <source>Other side effects (free text)</source>
        <translation>Otros efectos secundarios (texto libre)</translation>
    </message>
    <message>
        <source>Session notes</source>
        <translation>Notas de la sesión</translation>
    </message>
    <message>
        <source>Same as &amp;last session</source>
        <translation>Igual que la ú&amp;ltima sesión</translation>
    </message>
    <message>
        <source>Fill the settings of the last session; changes are marked</source>
        <translation>Rellenar los ajustes de la última sesión; los cambios se marcan</translation>
    </message>
    <message>
        <source>Changed from the last session</source>
        <translation>Cambiado respecto a la última sesión</translation>
    </message>
    <message>
        <source>(not recorded)</source>
        <translation>(no registrado)</translation>
    </message>
    <message>
        <source>usually {0:g}-{1:g}</source>
        <translation>habitualmente {0:g}-{1:g}</translation>
    </message>
    <message>
        <source>{0} details</source>
        <translation>Detalles de {0}</translation>
    </message>
    <message>
        <source>&amp;Date and time:</source>
        <translation>&amp;Fecha y hora:</translation>
    </message>
    <message>
        <source>&amp;Phase:</source>
        <translation>Fa&amp;se:</translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation>Notas:</translation>
    </message>
    <message>
        <source>Side effects</source>
        <translation>Efectos secundarios</translation>
    </message>
    <message>
        <source>As-needed medication</source>
        <translation>Medicación a demanda</translation>
    </message>
    <message>
        <source>{0} must be a number</source>
        <translation>{0} debe ser un número</translation>
    </message>
    <message>
        <source>Changed from the last session: </source>
        <translation>Cambiado respecto a la última sesión: </translation>
    </message>
    <message>
        <source>Unusual values</source>
        <translation>Valores inusuales</translation>
    </message>
    <message>
        <source>{0}

Save the session with these values? The warnings stay on the session record, in the course view and on the printed summary.</source>
        <translation>{0}

¿Guardar la sesión con estos valores? Las advertencias quedan en el registro de la sesión, en la vista del curso y en el resumen impreso.</translation>
    </message>
    <message>
        <source>&amp;Save anyway</source>
        <translation>&amp;Guardar de todos modos</translation>
    </message>
    <message>
        <source>&amp;Go back</source>
        <translation>&amp;Volver</translation>
    </message>
    <message>
        <source>Not saved: check the unusual values.</source>
        <translation>No guardado: revise los valores inusuales.</translation>
    </message>
</context>
<context>
    <name>SessionIntervalDialog</name>
    <message>
        <source>Session interval</source>
        <translation>Intervalo entre sesiones</translation>
    </message>
    <message>
        <source> days</source>
        <translation> días</translation>
    </message>
    <message>
        <source>every {0} days</source>
        <translation>cada {0} días</translation>
    </message>
    <message>
        <source>no sessions due</source>
        <translation>sin sesiones pendientes</translation>
    </message>
    <message>
        <source>Clinic default ({0}: {1})</source>
        <translation>Por defecto de la clínica ({0}: {1})</translation>
    </message>
    <message>
        <source>Sessions &amp;every:</source>
        <translation>Sesiones &amp;cada:</translation>
    </message>
    <message>
        <source>Days between sessions</source>
        <translation>Días entre sesiones</translation>
    </message>
</context>
<context>
    <name>SignInCurtain</name>
    <message>
        <source>Sign in: patient data is hidden until you do.</source>
        <translation>Inicie sesión: los datos de los pacientes permanecen ocultos hasta entonces.</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Su nombre</translation>
    </message>
    <message>
        <source>Your PIN</source>
        <translation>Su PIN</translation>
    </message>
    <message>
        <source>Sign in to {0}: patient data is hidden until you do.</source>
        <translation>Inicie sesión en {0}: los datos de los pacientes permanecen ocultos hasta entonces.</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Contraseña:</translation>
    </message>
    <message>
        <source>Your password</source>
        <translation>Su contraseña</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>&amp;Iniciar sesión</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <source>&amp;PIN:</source>
        <translation>&amp;PIN:</translation>
    </message>
</context>
<context>
    <name>SignInGate</name>
    <message>
        <source>Sign in with your name and PIN.</source>
        <translation>Inicie sesión con su nombre y su PIN.</translation>
    </message>
    <message>
        <source>Sign in with your name and password.</source>
        <translation>Inicie sesión con su nombre y su contraseña.</translation>
    </message>
    <message>
        <source>Name: type your sign-in name; allowed: the name the clinic&apos;s administrator gave you (up to {0} characters).</source>
        <translation>Nombre: escriba su nombre de inicio de sesión; se admite: el nombre que le dio el administrador de la clínica (hasta {0} caracteres).</translation>
    </message>
    <message>
        <source>Signed in as {0}</source>
        <translation>Sesión iniciada como {0}</translation>
    </message>
    <message>
        <source>Too many wrong passwords: sign-in pauses for {0} seconds.</source>
        <translation>Demasiadas contraseñas incorrectas: el inicio de sesión se pausa durante {0} segundos.</translation>
    </message>
    <message>
        <source>Too many wrong PINs: sign-in pauses for {0} seconds.</source>
        <translation>Demasiados PIN incorrectos: el inicio de sesión se pausa durante {0} segundos.</translation>
    </message>
    <message>
        <source>Try again: your name and password.</source>
        <translation>Inténtelo de nuevo: su nombre y su contraseña.</translation>
    </message>
    <message>
        <source>Try again: your name and PIN.</source>
        <translation>Inténtelo de nuevo: su nombre y su PIN.</translation>
    </message>
    <message>
        <source>Signed in as {0} ({1})</source>
        <translation>Sesión iniciada como {0} ({1})</translation>
    </message>
</context>
<context>
    <name>StartCourseDialog</name>
    <message>
        <source>Start a course - {0}</source>
        <translation>Iniciar un curso - {0}</translation>
    </message>
    <message>
        <source>Start date</source>
        <translation>Fecha de inicio</translation>
    </message>
    <message>
        <source>&amp;Modality:</source>
        <translation>&amp;Modalidad:</translation>
    </message>
    <message>
        <source>Modality</source>
        <translation>Modalidad</translation>
    </message>
    <message>
        <source>&amp;Start date:</source>
        <translation>Fecha de &amp;inicio:</translation>
    </message>
    <message>
        <source>&amp;Planned sessions:</source>
        <translation>Sesiones &amp;previstas:</translation>
    </message>
    <message>
        <source>Planned sessions</source>
        <translation>Sesiones previstas</translation>
    </message>
    <message>
        <source>Response ≥ {0:.0f}% improvement from baseline; partial ≥ {1:.0f}%. Clinic defaults; stored with the course.</source>
        <translation>Respuesta ≥ {0:.0f}% de mejora respecto a la basal; parcial ≥ {1:.0f}%. Valores por defecto de la clínica; se guardan con el curso.</translation>
    </message>
</context>
<context>
    <name>SurvivalPlot</name>
    <message>
        <source>days from course start</source>
        <translation>días desde el inicio del curso</translation>
    </message>
    <message>
        <source>still in treatment</source>
        <translation>sigue en tratamiento</translation>
    </message>
</context>
<context>
    <name>TodayView</name>
    <message>
        <source>Refresh (F5)</source>
        <translation>Actualizar (F5)</translation>
    </message>
    <message>
        <source>Read today&apos;s worklist again</source>
        <translation>Volver a leer la lista de trabajo de hoy</translation>
    </message>
    <message>
        <source>↑/↓ move · Enter opens the patient · Tab leaves the list</source>
        <translation>↑/↓ mover · Intro abre el paciente · Tab sale de la lista</translation>
    </message>
    <message>
        <source>Today, {0} {1:%Y-%m-%d}</source>
        <translation>Hoy, {0} {1:%Y-%m-%d}</translation>
    </message>
    <message>
        <source>  … and {0} more</source>
        <translation>  … y {0} más</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <source>Section: {0}, {1}</source>
        <translation>Sección: {0}, {1}</translation>
    </message>
</context>
<context>
    <name>TrajectoryChart</name>
    <message>
        <source>Trajectory chart</source>
        <translation>Gráfico de trayectoria</translation>
    </message>
    <message>
        <source>By session number</source>
        <translation>Por número de sesión</translation>
    </message>
    <message>
        <source>By date</source>
        <translation>Por fecha</translation>
    </message>
    <message>
        <source>Chart x axis</source>
        <translation>Eje x del gráfico</translation>
    </message>
    <message>
        <source>Percent change readout</source>
        <translation>Lectura del cambio porcentual</translation>
    </message>
    <message>
        <source>Trajectory plot</source>
        <translation>Trazado de la trayectoria</translation>
    </message>
    <message>
        <source>Total score</source>
        <translation>Puntuación total</translation>
    </message>
    <message>
        <source>Show {0} on the chart</source>
        <translation>Mostrar {0} en el gráfico</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Mostrar:</translation>
    </message>
    <message>
        <source>No course selected.</source>
        <translation>Ningún curso seleccionado.</translation>
    </message>
    <message>
        <source>○ hollow = prorated · ■ = baseline · &lt;span style=&apos;color:{0}&apos;&gt;▲ along the axis = session&lt;/span&gt; · &lt;span style=&apos;color:{1}&apos;&gt;▼ = safety flag (filled = open)&lt;/span&gt;</source>
        <translation>○ hueco = prorrateado · ■ = basal · &lt;span style=&apos;color:{0}&apos;&gt;▲ sobre el eje = sesión&lt;/span&gt; · &lt;span style=&apos;color:{1}&apos;&gt;▼ = alerta de seguridad (relleno = abierta)&lt;/span&gt;</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Sesión</translation>
    </message>
    <message>
        <source>baseline {0}</source>
        <translation>basal {0}</translation>
    </message>
    <message>
        <source>{0} (not shown)
</source>
        <translation>{0} (no mostrado)
</translation>
    </message>
    <message>
        <source>No scores yet.</source>
        <translation>Aún no hay puntuaciones.</translation>
    </message>
</context>
<context>
    <name>TrajectoryPlot</name>
    <message>
        <source>visit (0 = baseline, n = before infusion n)</source>
        <translation>visita (0 = basal, n = antes de la infusión n)</translation>
    </message>
</context>
<context>
    <name>VitalsSheet</name>
    <message>
        <source>Vitals of session</source>
        <translation>Signos vitales de la sesión</translation>
    </message>
    <message>
        <source>Vitals outside the clinic&apos;s limits</source>
        <translation>Signos vitales fuera de los límites de la clínica</translation>
    </message>
    <message>
        <source>Discharge criteria</source>
        <translation>Criterios de alta</translation>
    </message>
    <message>
        <source>Save vitals (Ctrl+Return)</source>
        <translation>Guardar signos vitales (Ctrl+Intro)</translation>
    </message>
    <message>
        <source>Save the flowsheet (Ctrl+Return)</source>
        <translation>Guardar la hoja de registro (Ctrl+Intro)</translation>
    </message>
    <message>
        <source>HH:MM</source>
        <translation>HH:MM</translation>
    </message>
    <message>
        <source>{0} time</source>
        <translation>Hora de {0}</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Session:</source>
        <translation>Sesión:</translation>
    </message>
    <message>
        <source>&amp;REMS record…</source>
        <translation>&amp;Registro REMS…</translation>
    </message>
    <message>
        <source>Pri&amp;nt REMS form</source>
        <translation>Imprimir formulario REMS (&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Mark REMS form submitted today</source>
        <translation>&amp;Marcar formulario REMS enviado hoy</translation>
    </message>
    <message>
        <source>Session {0} · {1:%Y-%m-%d %H:%M}</source>
        <translation>Sesión {0} · {1:%Y-%m-%d %H:%M}</translation>
    </message>
    <message>
        <source>REMS monitoring record not filled in yet.</source>
        <translation>Registro de monitorización REMS aún sin rellenar.</translation>
    </message>
    <message>
        <source>REMS form filled in, not yet submitted.</source>
        <translation>Formulario REMS rellenado, aún no enviado.</translation>
    </message>
    <message>
        <source>REMS form submitted {0:%Y-%m-%d}.</source>
        <translation>Formulario REMS enviado el {0:%Y-%m-%d}.</translation>
    </message>
    <message>
        <source>{0} time: {1!r} is not a time; allowed: HH:MM, 00:00-23:59</source>
        <translation>Hora de {0}: {1!r} no es una hora; permitido: HH:MM, 00:00-23:59</translation>
    </message>
    <message>
        <source>Vitals saved for session {0}.</source>
        <translation>Signos vitales guardados para la sesión {0}.</translation>
    </message>
    <message>
        <source>REMS form, session {0}</source>
        <translation>Formulario REMS, sesión {0}</translation>
    </message>
    <message>
        <source>REMS form of session {0} shown for printing.</source>
        <translation>Formulario REMS de la sesión {0} mostrado para imprimir.</translation>
    </message>
</context>
<context>
    <name>WelcomePanel</name>
    <message>
        <source>Keep each patient&apos;s course of IV ketamine, IM ketamine-assisted psychotherapy, esketamine, TMS or ECT. Before every session type the PHQ-9, GAD-7 and MADRS from the keyboard, see at once whether the patient is responding, remitting or flagged for suicidal thoughts, and print a PDF summary for the chart.</source>
        <translation>Lleve el curso de cada paciente con ketamina IV, psicoterapia asistida con ketamina IM, esketamina, EMT o TEC. Antes de cada sesión escriba con el teclado el PHQ-9, el GAD-7 y la MADRS, vea enseguida si el paciente responde, remite o tiene una alerta por pensamientos suicidas, e imprima un resumen en PDF para la historia clínica.</translation>
    </message>
    <message>
        <source>This database has no patients yet. Begin with one of these:</source>
        <translation>Esta base de datos aún no tiene pacientes. Empiece con una de estas opciones:</translation>
    </message>
    <message>
        <source>Welcome to mbctracker</source>
        <translation>Bienvenido a mbctracker</translation>
    </message>
    <message>
        <source>&amp;New patient… (Ctrl+N)</source>
        <translation>&amp;Nuevo paciente… (Ctrl+N)</translation>
    </message>
    <message>
        <source>Open the &amp;demo clinic (synthetic patients, a separate file)</source>
        <translation>Abrir la clínica de &amp;demostración (pacientes sintéticos, en un archivo aparte)</translation>
    </message>
    <message>
        <source>&amp;Open another database… (Ctrl+O)</source>
        <translation>&amp;Abrir otra base de datos… (Ctrl+O)</translation>
    </message>
    <message>
        <source>&amp;Keyboard reference and guide (F1)</source>
        <translation>&amp;Referencia de teclado y guía (F1)</translation>
    </message>
</context>
<context>
    <name>WorklistTree</name>
    <message>
        <source>Today&apos;s worklist</source>
        <translation>Lista de trabajo de hoy</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <source>MRN</source>
        <translation>MRN</translation>
    </message>
    <message>
        <source>What is due</source>
        <translation>Qué toca</translation>
    </message>
</context>
<context>
    <name>about</name>
    <message>
        <source>no note recorded</source>
        <translation>sin nota registrada</translation>
    </message>
    <message>
        <source>&lt;p&gt;Measurement-based care tracker for interventional psychiatry.&lt;/p&gt;&lt;p&gt;Licence: MIT (the LICENSE file shipped with the app). All demo data is synthetic.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Registro de atención basada en la medición para psiquiatría intervencionista.&lt;/p&gt;&lt;p&gt;Licencia: MIT (el archivo LICENSE que acompaña a la aplicación). Todos los datos de demostración son sintéticos.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Database: {0}&lt;br&gt;Window settings: {1}&lt;/p&gt;</source>
        <translation>&lt;p&gt;Base de datos: {0}&lt;br&gt;Ajustes de la ventana: {1}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Instruments and their terms of use:&lt;/p&gt;&lt;ul&gt;{0}&lt;/ul&gt;</source>
        <translation>&lt;p&gt;Instrumentos y sus condiciones de uso:&lt;/p&gt;&lt;ul&gt;{0}&lt;/ul&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Questionnaire items are shown in English in every language: a translated PHQ-9 or GAD-7 must be the official wording, word for word, and it is not verified here yet.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Los ítems de los cuestionarios se muestran en inglés en todos los idiomas: un PHQ-9 o GAD-7 traducido debe usar la redacción oficial, palabra por palabra, y aquí aún no está verificada.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>access_ui</name>
    <message>
        <source>Signed in as an administrator: no patient records are shown.
Edit → People… manages who signs in; Edit → Preferences… the clinic&apos;s settings.</source>
        <translation>Sesión iniciada como administrador: no se muestran historiales de pacientes.
Edición → Personas… gestiona quién inicia sesión; Edición → Preferencias…, los ajustes de la clínica.</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Cannot open the clinic database</source>
        <translation>No se puede abrir la base de datos de la clínica</translation>
    </message>
    <message>
        <source>Cannot open the database</source>
        <translation>No se puede abrir la base de datos</translation>
    </message>
    <message>
        <source>Restore a backup…</source>
        <translation>Restaurar una copia de seguridad…</translation>
    </message>
    <message>
        <source>Open another file…</source>
        <translation>Abrir otro archivo…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Salir</translation>
    </message>
    <message>
        <source>Open database</source>
        <translation>Abrir base de datos</translation>
    </message>
    <message>
        <source>Restore from backup</source>
        <translation>Restaurar desde copia de seguridad</translation>
    </message>
    <message>
        <source>Backup not restored</source>
        <translation>Copia de seguridad no restaurada</translation>
    </message>
    <message>
        <source>Backup restored</source>
        <translation>Copia de seguridad restaurada</translation>
    </message>
    <message>
        <source>The previous file was kept as:
{0}</source>
        <translation>El archivo anterior se conservó como:
{0}</translation>
    </message>
    <message>
        <source>Start-up backup failed: {0}</source>
        <translation>Falló la copia de seguridad al inicio: {0}</translation>
    </message>
    <message>
        <source>Start-up backup written: {0}</source>
        <translation>Copia de seguridad al inicio escrita: {0}</translation>
    </message>
    <message>
        <source>A backup failed its full integrity check: {0}</source>
        <translation>Una copia de seguridad no superó la comprobación de integridad completa: {0}</translation>
    </message>
</context>
<context>
    <name>chart_data</name>
    <message>
        <source>Session {0} · {1:%Y-%m-%d %H:%M} · {2}</source>
        <translation>Sesión {0} · {1:%Y-%m-%d %H:%M} · {2}</translation>
    </message>
    <message>
        <source>{0} mg</source>
        <translation>{0} mg</translation>
    </message>
    <message>
        <source>Dose </source>
        <translation>Dosis </translation>
    </message>
    <message>
        <source>Side effects: </source>
        <translation>Efectos secundarios: </translation>
    </message>
    <message>
        <source>none recorded</source>
        <translation>ninguno registrado</translation>
    </message>
    <message>
        <source>As-needed: </source>
        <translation>A demanda: </translation>
    </message>
    <message>
        <source>BP </source>
        <translation>PA </translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>Basal</translation>
    </message>
    <message>
        <source>Before session {0}</source>
        <translation>Antes de la sesión {0}</translation>
    </message>
    <message>
        <source>Prorated: {0} item(s) missing, exact {1:.1f}</source>
        <translation>Prorrateado: falta(n) {0} ítem(s), exacto {1:.1f}</translation>
    </message>
    <message>
        <source>OPEN - no action recorded</source>
        <translation>ABIERTA - sin acción registrada</translation>
    </message>
    <message>
        <source>action: </source>
        <translation>acción: </translation>
    </message>
    <message>
        <source>⚠ Safety item {0} = {1} (tier {2}); {3}</source>
        <translation>⚠ Ítem de seguridad {0} = {1} (nivel {2}); {3}</translation>
    </message>
</context>
<context>
    <name>correction</name>
    <message>
        <source>Delete the {0} of {1:%Y-%m-%d %H:%M} (total {2}) as entered in error?</source>
        <translation>¿Borrar {0} del {1:%Y-%m-%d %H:%M} (total {2}) como introducido por error?</translation>
    </message>
    <message>
        <source>

It has an OPEN SAFETY FLAG with no action recorded: once deleted, the flag is no longer shown on the patient list, the banner or the printed summary.</source>
        <translation>

Tiene una ALERTA DE SEGURIDAD ABIERTA sin acción registrada: una vez borrado, la alerta deja de mostrarse en la lista de pacientes, en el aviso y en el resumen impreso.</translation>
    </message>
    <message>
        <source>Delete assessment</source>
        <translation>Borrar evaluación</translation>
    </message>
    <message>
        <source>Delete session {0} of {1:%Y-%m-%d %H:%M} as entered in error?</source>
        <translation>¿Borrar la sesión {0} del {1:%Y-%m-%d %H:%M} como introducida por error?</translation>
    </message>
    <message>
        <source>Delete session</source>
        <translation>Borrar sesión</translation>
    </message>
    <message>
        <source>Delete the {0} of {1:%Y-%m-%d} as entered in error?</source>
        <translation>¿Borrar el evento ({0}) del {1:%Y-%m-%d} como introducido por error?</translation>
    </message>
    <message>
        <source>Delete event</source>
        <translation>Borrar evento</translation>
    </message>
    <message>
        <source>{0}

It stays in the change log and can be restored from there.</source>
        <translation>{0}

Queda en el registro de cambios y se puede restaurar desde allí.</translation>
    </message>
    <message>
        <source>Choose a &apos;delete&apos; entry of an assessment, session or event in the change log to restore it</source>
        <translation>Elija una entrada de borrado (&apos;delete&apos;) de una evaluación, sesión o evento en el registro de cambios para restaurarla</translation>
    </message>
</context>
<context>
    <name>course_dialogs</name>
    <message>
        <source>{0} remission:</source>
        <translation>Remisión de {0}:</translation>
    </message>
    <message>
        <source>{0} remission definition</source>
        <translation>Definición de remisión de {0}</translation>
    </message>
    <message>
        <source>{0} remission ≤</source>
        <translation>Remisión de {0} ≤</translation>
    </message>
    <message>
        <source>{0} remission maximum</source>
        <translation>Máximo de remisión de {0}</translation>
    </message>
    <message>
        <source>no reason</source>
        <translation>sin motivo</translation>
    </message>
    <message>
        <source>End the course?</source>
        <translation>¿Finalizar el curso?</translation>
    </message>
    <message>
        <source>A dropout ({0}) is recorded on {1:%Y-%m-%d}. End the course as discontinued on that date? The dropout is counted once.</source>
        <translation>Hay un abandono ({0}) registrado el {1:%Y-%m-%d}. ¿Finalizar el curso como interrumpido en esa fecha? El abandono se cuenta una vez.</translation>
    </message>
    <message>
        <source>&amp;End the course</source>
        <translation>&amp;Finalizar el curso</translation>
    </message>
    <message>
        <source>&amp;Keep it active</source>
        <translation>&amp;Mantenerlo activo</translation>
    </message>
</context>
<context>
    <name>entry_dialog</name>
    <message>
        <source>Saved {0} {1}</source>
        <translation>Guardado {0} {1}</translation>
    </message>
    <message>
        <source> as the baseline.</source>
        <translation> como basal.</translation>
    </message>
    <message>
        <source>; {0} from baseline {1}</source>
        <translation>; {0} respecto a la basal {1}</translation>
    </message>
    <message>
        <source>, remission</source>
        <translation>, remisión</translation>
    </message>
</context>
<context>
    <name>entry_form</name>
    <message>
        <source>{0}: no answers yet</source>
        <translation>{0}: aún sin respuestas</translation>
    </message>
    <message>
        <source> · missing item {0}</source>
        <translation> · ítems sin responder: {0}</translation>
    </message>
    <message>
        <source>{0}: not scorable yet - {1} missing (at most {2} may be missing){3}</source>
        <translation>{0}: aún no puntuable - faltan {1} (como máximo pueden faltar {2}){3}</translation>
    </message>
    <message>
        <source>{0} total {1}* (prorated, exact {2:.1f}) · {3}{4}</source>
        <translation>{0} total {1}* (prorrateado, exacto {2:.1f}) · {3}{4}</translation>
    </message>
    <message>
        <source>{0} total {1} · {2}</source>
        <translation>{0} total {1} · {2}</translation>
    </message>
    <message>
        <source>{0} on {1}-{2}</source>
        <translation>{0} en {1}-{2}</translation>
    </message>
    <message>
        <source>item {0} ({1}) was left unanswered - ask it</source>
        <translation>el ítem {0} ({1}) quedó sin responder - pregúntelo</translation>
    </message>
    <message>
        <source>item {0} ({1}) = {2}</source>
        <translation>ítem {0} ({1}) = {2}</translation>
    </message>
    <message>
        <source>urgent review and a structured suicide risk assessment today</source>
        <translation>revisión urgente y una evaluación estructurada del riesgo suicida hoy</translation>
    </message>
    <message>
        <source>same-day clinician review</source>
        <translation>revisión clínica en el mismo día</translation>
    </message>
    <message>
        <source>⚠ SAFETY FLAG - {0} {1}. Tier {2}: {3}.</source>
        <translation>⚠ ALERTA DE SEGURIDAD - {0} {1}. Nivel {2}: {3}.</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>MRN</source>
        <translation>MRN</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Fecha de nacimiento</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>Fecha y hora</translation>
    </message>
    <message>
        <source>Start date</source>
        <translation>Fecha de inicio</translation>
    </message>
    <message>
        <source>End date</source>
        <translation>Fecha de fin</translation>
    </message>
    <message>
        <source>Planned sessions</source>
        <translation>Sesiones previstas</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Action description</source>
        <translation>Descripción de la acción</translation>
    </message>
    <message>
        <source>Timepoint</source>
        <translation>Momento</translation>
    </message>
    <message>
        <source>Linked session</source>
        <translation>Sesión vinculada</translation>
    </message>
    <message>
        <source>Item responses</source>
        <translation>Respuestas de los ítems</translation>
    </message>
    <message>
        <source>Side effects</source>
        <translation>Efectos secundarios</translation>
    </message>
    <message>
        <source>As-needed medication</source>
        <translation>Medicación a demanda</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Evento</translation>
    </message>
    <message>
        <source>Reason for the change</source>
        <translation>Motivo del cambio</translation>
    </message>
    <message>
        <source>Diagnosis</source>
        <translation>Diagnóstico</translation>
    </message>
    <message>
        <source>Current medications</source>
        <translation>Medicación actual</translation>
    </message>
    <message>
        <source>Prior treatment trials</source>
        <translation>Tratamientos previos</translation>
    </message>
    <message>
        <source>Prescriber</source>
        <translation>Prescriptor</translation>
    </message>
    <message>
        <source>Item {0}</source>
        <translation>Ítem {0}</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>No guardado</translation>
    </message>
    <message>
        <source>

Details were written to the log file:
{0}</source>
        <translation>

Los detalles se escribieron en el archivo de registro:
{0}</translation>
    </message>
    <message>
        <source>Unexpected problem</source>
        <translation>Problema inesperado</translation>
    </message>
    <message>
        <source>mbctracker hit an unexpected problem and the last action may not have finished. Everything saved before it is safe in the database; check the last entry and enter it again if it is missing.</source>
        <translation>mbctracker encontró un problema inesperado y puede que la última acción no terminara. Todo lo guardado antes está seguro en la base de datos; compruebe la última entrada e introdúzcala de nuevo si falta.</translation>
    </message>
</context>
<context>
    <name>file_actions</name>
    <message>
        <source>Writing the demo clinic (synthetic patients)…</source>
        <translation>Escribiendo la clínica de demostración (pacientes sintéticos)…</translation>
    </message>
    <message>
        <source>New database</source>
        <translation>Nueva base de datos</translation>
    </message>
    <message>
        <source>mbctracker databases (*.sqlite3)</source>
        <translation>Bases de datos de mbctracker (*.sqlite3)</translation>
    </message>
    <message>
        <source>{0} already exists; choose Open database to use it.</source>
        <translation>{0} ya existe; elija Abrir base de datos para usarla.</translation>
    </message>
    <message>
        <source>Open database</source>
        <translation>Abrir base de datos</translation>
    </message>
    <message>
        <source>mbctracker databases (*.sqlite3 *.db);;All files (*)</source>
        <translation>Bases de datos de mbctracker (*.sqlite3 *.db);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Backup written</source>
        <translation>Copia de seguridad escrita</translation>
    </message>
    <message>
        <source>A verified copy of the database was written to:
{0}</source>
        <translation>Se escribió una copia verificada de la base de datos en:
{0}</translation>
    </message>
    <message>
        <source>Restore from backup</source>
        <translation>Restaurar desde copia de seguridad</translation>
    </message>
    <message>
        <source>Backups (*.sqlite3);;All files (*)</source>
        <translation>Copias de seguridad (*.sqlite3);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Replace the open database with
{0}?

A copy of the current file is kept first.</source>
        <translation>¿Reemplazar la base de datos abierta por
{0}?

Antes se conserva una copia del archivo actual.</translation>
    </message>
    <message>
        <source>
The previous file was kept as:
{0}</source>
        <translation>
El archivo anterior se conservó como:
{0}</translation>
    </message>
    <message>
        <source>Backup restored</source>
        <translation>Copia de seguridad restaurada</translation>
    </message>
    <message>
        <source>Restored {0}.{1}</source>
        <translation>Restaurado {0}.{1}</translation>
    </message>
    <message>
        <source>Select a patient with a course first.</source>
        <translation>Seleccione primero un paciente con un curso.</translation>
    </message>
    <message>
        <source>Save summary as PDF</source>
        <translation>Guardar resumen como PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Archivos PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Summary saved: {0}</source>
        <translation>Resumen guardado: {0}</translation>
    </message>
    <message>
        <source>{0} - progress summary</source>
        <translation>{0} - resumen de evolución</translation>
    </message>
    <message>
        <source>Printed {0} page(s) of {1}.</source>
        <translation>Impresas {0} página(s) de {1}.</translation>
    </message>
</context>
<context>
    <name>forms</name>
    <message>
        <source>{0} must be a date as YYYY-MM-DD (for example 1984-03-27), got {1!r}</source>
        <translation>{0} debe ser una fecha AAAA-MM-DD (por ejemplo 1984-03-27), se recibió {1!r}</translation>
    </message>
</context>
<context>
    <name>heatmap</name>
    <message>
        <source>BL</source>
        <translation>Basal</translation>
    </message>
    <message>
        <source>FU</source>
        <translation>SEG</translation>
    </message>
</context>
<context>
    <name>help</name>
    <message>
        <source>find the patient by name or MRN (case and accents ignored)</source>
        <translation>buscar al paciente por nombre o MRN (sin distinguir mayúsculas ni acentos)</translation>
    </message>
    <message>
        <source>answer the focused item and move on; Enter saves</source>
        <translation>responder el ítem enfocado y seguir; Intro guarda</translation>
    </message>
    <message>
        <source>skip (leave missing), go back, clear</source>
        <translation>saltar (dejar sin respuesta), volver, borrar</translation>
    </message>
    <message>
        <source>save / cancel</source>
        <translation>guardar / cancelar</translation>
    </message>
    <message>
        <source>record the action taken</source>
        <translation>registrar la acción realizada</translation>
    </message>
    <message>
        <source>move between the patient list, the course and the forms&apos; fields</source>
        <translation>moverse entre la lista de pacientes, el curso y los campos de los formularios</translation>
    </message>
    <message>
        <source>&lt;h3&gt;A session day&lt;/h3&gt;&lt;ol&gt;&lt;li&gt;Find the patient: Ctrl+F, type part of the name or MRN, Enter.&lt;/li&gt;&lt;li&gt;Enter today&apos;s scores: Ctrl+E, type each answer as a digit; Enter saves. A suicidality answer opens the safety alert: record what was done (keys 1-5).&lt;/li&gt;&lt;li&gt;Record the session: Ctrl+R (dose, modality details, side effects).&lt;/li&gt;&lt;li&gt;Read the course: the chart shows the scores against the response and remission lines; the summary says responding, remitting or not, and lists open safety flags.&lt;/li&gt;&lt;li&gt;Print or save the summary: Ctrl+P or Ctrl+Shift+P.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;Every change is kept in the change log; backups are made automatically beside the database. The full documentation is in the docs folder of the project (&lt;a href=&quot;https://github.com/mbctracker/mbctracker&quot;&gt;github.com/mbctracker/mbctracker&lt;/a&gt;).&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Un día de sesiones&lt;/h3&gt;&lt;ol&gt;&lt;li&gt;Busque al paciente: Ctrl+F, escriba parte del nombre o del MRN, Intro.&lt;/li&gt;&lt;li&gt;Introduzca las puntuaciones de hoy: Ctrl+E, escriba cada respuesta como un dígito; Intro guarda. Una respuesta de suicidalidad abre la alerta de seguridad: registre lo que se hizo (teclas 1-5).&lt;/li&gt;&lt;li&gt;Registre la sesión: Ctrl+R (dosis, detalles de la modalidad, efectos secundarios).&lt;/li&gt;&lt;li&gt;Lea el curso: el gráfico muestra las puntuaciones frente a las líneas de respuesta y remisión; el resumen dice si responde, remite o no, y lista las alertas de seguridad abiertas.&lt;/li&gt;&lt;li&gt;Imprima o guarde el resumen: Ctrl+P o Ctrl+Shift+P.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;Cada cambio queda en el registro de cambios; las copias de seguridad se hacen automáticamente junto a la base de datos. La documentación completa está en la carpeta docs del proyecto (&lt;a href=&quot;https://github.com/mbctracker/mbctracker&quot;&gt;github.com/mbctracker/mbctracker&lt;/a&gt;).&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Keyboard reference&lt;/h3&gt;&lt;table cellpadding=&apos;3&apos;&gt;{0}&lt;/table&gt;{1}</source>
        <translation>&lt;h3&gt;Referencia de teclado&lt;/h3&gt;&lt;table cellpadding=&apos;3&apos;&gt;{0}&lt;/table&gt;{1}</translation>
    </message>
</context>
<context>
    <name>import_dialog</name>
    <message>
        <source>Import a CSV interchange folder</source>
        <translation>Importar una carpeta de intercambio CSV</translation>
    </message>
    <message>
        <source>Imported from {0}: {1}</source>
        <translation>Importado desde {0}: {1}</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Importando…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Import cancelled; nothing was imported.</source>
        <translation>Importación cancelada; no se importó nada.</translation>
    </message>
    <message>
        <source>Patients already registered</source>
        <translation>Pacientes ya registrados</translation>
    </message>
    <message>
        <source>1 patient in the folder is already registered.</source>
        <translation>1 paciente de la carpeta ya está registrado.</translation>
    </message>
    <message>
        <source>{0} patients in the folder are already registered.</source>
        <translation>{0} pacientes de la carpeta ya están registrados.</translation>
    </message>
    <message>
        <source>Add the folder&apos;s courses to them? Their own details are kept as they are.</source>
        <translation>¿Añadirles los cursos de la carpeta? Sus propios datos se mantienen como están.</translation>
    </message>
    <message>
        <source>Nothing was imported</source>
        <translation>No se importó nada</translation>
    </message>
    <message>
        <source>{0} problem{1} found; nothing was imported.</source>
        <translation>{0} problema{1} encontrado{1}; no se importó nada.</translation>
    </message>
    <message>
        <source>
… and {0} more (Show Details…)</source>
        <translation>
… y {0} más (Mostrar detalles…)</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <source>IV ketamine</source>
        <translation>Ketamina IV</translation>
    </message>
    <message>
        <source>IM ketamine (KAP)</source>
        <translation>Ketamina IM (KAP)</translation>
    </message>
    <message>
        <source>Esketamine</source>
        <translation>Esketamina</translation>
    </message>
    <message>
        <source>TMS</source>
        <translation>EMT</translation>
    </message>
    <message>
        <source>ECT</source>
        <translation>TEC</translation>
    </message>
    <message>
        <source>Induction</source>
        <translation>Inducción</translation>
    </message>
    <message>
        <source>Continuation</source>
        <translation>Continuación</translation>
    </message>
    <message>
        <source>Maintenance</source>
        <translation>Mantenimiento</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>Seguimiento</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Activo</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Completado</translation>
    </message>
    <message>
        <source>Discontinued</source>
        <translation>Interrumpido</translation>
    </message>
    <message>
        <source>Logistical</source>
        <translation>Logístico</translation>
    </message>
    <message>
        <source>Side effects</source>
        <translation>Efectos secundarios</translation>
    </message>
    <message>
        <source>Lack of benefit</source>
        <translation>Falta de beneficio</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Coste</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Otro</translation>
    </message>
    <message>
        <source>Psychiatric hospitalization</source>
        <translation>Hospitalización psiquiátrica</translation>
    </message>
    <message>
        <source>ED visit</source>
        <translation>Visita a urgencias</translation>
    </message>
    <message>
        <source>Adverse event</source>
        <translation>Evento adverso</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>Abandono</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>Basal</translation>
    </message>
    <message>
        <source>Pre-session</source>
        <translation>Previa a la sesión</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>Revisado</translation>
    </message>
    <message>
        <source>Safety plan</source>
        <translation>Plan de seguridad</translation>
    </message>
    <message>
        <source>Structured risk assessment</source>
        <translation>Evaluación estructurada del riesgo</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>Derivación</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Mujer</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Hombre</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Desconocido</translation>
    </message>
    <message>
        <source>Anxiety disorder</source>
        <translation>Trastorno de ansiedad</translation>
    </message>
    <message>
        <source>Personality disorder</source>
        <translation>Trastorno de la personalidad</translation>
    </message>
    <message>
        <source>Bipolar disorder</source>
        <translation>Trastorno bipolar</translation>
    </message>
    <message>
        <source>Psychotic disorder</source>
        <translation>Trastorno psicótico</translation>
    </message>
    <message>
        <source>Substance use disorder</source>
        <translation>Trastorno por consumo de sustancias</translation>
    </message>
    <message>
        <source>PTSD</source>
        <translation>TEPT</translation>
    </message>
    <message>
        <source>OCD</source>
        <translation>TOC</translation>
    </message>
    <message>
        <source>Pre-dose</source>
        <translation>Antes de la dosis</translation>
    </message>
    <message>
        <source>During</source>
        <translation>Durante</translation>
    </message>
    <message>
        <source>Discharge</source>
        <translation>Alta</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Respuesta</translation>
    </message>
    <message>
        <source>Partial response</source>
        <translation>Respuesta parcial</translation>
    </message>
    <message>
        <source>Non-response</source>
        <translation>Sin respuesta</translation>
    </message>
    <message>
        <source>Not evaluable</source>
        <translation>No evaluable</translation>
    </message>
    <message>
        <source>early improvement</source>
        <translation>mejoría temprana</translation>
    </message>
    <message>
        <source>no early improvement</source>
        <translation>sin mejoría temprana</translation>
    </message>
    <message>
        <source>not assessed in the window</source>
        <translation>no evaluado en el plazo</translation>
    </message>
    <message>
        <source>not yet assessable</source>
        <translation>aún no evaluable</translation>
    </message>
    <message>
        <source>not evaluable</source>
        <translation>no evaluable</translation>
    </message>
    <message>
        <source>minimal</source>
        <translation>mínima</translation>
    </message>
    <message>
        <source>mild</source>
        <translation>leve</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>moderada</translation>
    </message>
    <message>
        <source>moderately severe</source>
        <translation>moderadamente grave</translation>
    </message>
    <message>
        <source>severe</source>
        <translation>grave</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>normal</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>Dosis</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Peso</translation>
    </message>
    <message>
        <source>Infusion duration</source>
        <translation>Duración de la infusión</translation>
    </message>
    <message>
        <source>BP before, systolic</source>
        <translation>PA antes, sistólica</translation>
    </message>
    <message>
        <source>BP before, diastolic</source>
        <translation>PA antes, diastólica</translation>
    </message>
    <message>
        <source>BP peak, systolic</source>
        <translation>PA máxima, sistólica</translation>
    </message>
    <message>
        <source>BP peak, diastolic</source>
        <translation>PA máxima, diastólica</translation>
    </message>
    <message>
        <source>BP after, systolic</source>
        <translation>PA después, sistólica</translation>
    </message>
    <message>
        <source>BP after, diastolic</source>
        <translation>PA después, diastólica</translation>
    </message>
    <message>
        <source>Session duration</source>
        <translation>Duración de la sesión</translation>
    </message>
    <message>
        <source>Monitoring time</source>
        <translation>Tiempo de monitorización</translation>
    </message>
    <message>
        <source>Sedation</source>
        <translation>Sedación</translation>
    </message>
    <message>
        <source>Dissociation</source>
        <translation>Disociación</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>Protocolo</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Diana</translation>
    </message>
    <message>
        <source>Motor threshold</source>
        <translation>Umbral motor</translation>
    </message>
    <message>
        <source>Intensity</source>
        <translation>Intensidad</translation>
    </message>
    <message>
        <source>Pulses</source>
        <translation>Pulsos</translation>
    </message>
    <message>
        <source>Electrode placement</source>
        <translation>Colocación de electrodos</translation>
    </message>
    <message>
        <source>Pulse width</source>
        <translation>Anchura de pulso</translation>
    </message>
    <message>
        <source>Charge</source>
        <translation>Carga</translation>
    </message>
    <message>
        <source>Frequency</source>
        <translation>Frecuencia</translation>
    </message>
    <message>
        <source>Train duration</source>
        <translation>Duración del tren</translation>
    </message>
    <message>
        <source>Impedance</source>
        <translation>Impedancia</translation>
    </message>
    <message>
        <source>Seizure duration, EEG</source>
        <translation>Duración de la convulsión, EEG</translation>
    </message>
    <message>
        <source>Seizure duration, motor</source>
        <translation>Duración de la convulsión, motora</translation>
    </message>
    <message>
        <source>Post-ictal suppression index</source>
        <translation>Índice de supresión postictal</translation>
    </message>
    <message>
        <source>Anaesthetic</source>
        <translation>Anestésico</translation>
    </message>
    <message>
        <source>Anaesthetic dose</source>
        <translation>Dosis de anestésico</translation>
    </message>
    <message>
        <source>Muscle relaxant</source>
        <translation>Relajante muscular</translation>
    </message>
    <message>
        <source>Relaxant dose</source>
        <translation>Dosis de relajante</translation>
    </message>
    <message>
        <source>Systolic BP</source>
        <translation>PA sistólica</translation>
    </message>
    <message>
        <source>Diastolic BP</source>
        <translation>PA diastólica</translation>
    </message>
    <message>
        <source>Heart rate</source>
        <translation>Frecuencia cardíaca</translation>
    </message>
    <message>
        <source>SpO2</source>
        <translation>SpO2</translation>
    </message>
    <message>
        <source>clinician</source>
        <translation>clínico</translation>
    </message>
    <message>
        <source>nurse</source>
        <translation>enfermería</translation>
    </message>
    <message>
        <source>front desk</source>
        <translation>recepción</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>administrador</translation>
    </message>
    <message>
        <source>Sessions recorded today</source>
        <translation>Sesiones registradas hoy</translation>
    </message>
    <message>
        <source>Scores typed today, session not recorded yet</source>
        <translation>Puntuaciones escritas hoy, sesión aún sin registrar</translation>
    </message>
    <message>
        <source>Sessions due by the course schedule</source>
        <translation>Sesiones pendientes según el calendario del curso</translation>
    </message>
    <message>
        <source>Open safety flags</source>
        <translation>Alertas de seguridad abiertas</translation>
    </message>
    <message>
        <source>Follow-ups due after induction</source>
        <translation>Seguimientos pendientes tras la inducción</translation>
    </message>
    <message>
        <source>REMS monitoring forms to submit</source>
        <translation>Formularios de monitorización REMS por enviar</translation>
    </message>
    <message>
        <source>Payer-authorised sessions running out</source>
        <translation>Sesiones autorizadas por el pagador a punto de agotarse</translation>
    </message>
</context>
<context>
    <name>outcomes_window</name>
    <message>
        <source>{0}: {1!r} is not a date; allowed: YYYY-MM-DD</source>
        <translation>{0}: {1!r} no es una fecha; permitido: AAAA-MM-DD</translation>
    </message>
</context>
<context>
    <name>patient_model</name>
    <message>
        <source>Safety</source>
        <translation>Seguridad</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>MRN</source>
        <translation>MRN</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Fecha de nacimiento</translation>
    </message>
    <message>
        <source>Modality</source>
        <translation>Modalidad</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sesiones</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>⚠ {0} open</source>
        <translation>⚠ {0} abierta(s)</translation>
    </message>
    <message>
        <source>no course</source>
        <translation>sin curso</translation>
    </message>
</context>
<context>
    <name>preferences</name>
    <message>
        <source>Clinic</source>
        <translation>Clínica</translation>
    </message>
    <message>
        <source>Response and remission</source>
        <translation>Respuesta y remisión</translation>
    </message>
    <message>
        <source>Instruments</source>
        <translation>Instrumentos</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Calendario</translation>
    </message>
    <message>
        <source>Around the session</source>
        <translation>En torno a la sesión</translation>
    </message>
    <message>
        <source>Clinic outcomes</source>
        <translation>Resultados de la clínica</translation>
    </message>
    <message>
        <source>Sustained: consecutive assessments</source>
        <translation>Mantenida: evaluaciones consecutivas</translation>
    </message>
    <message>
        <source>Default 2 or more consecutive valid assessments (CLINICAL.md policy)</source>
        <translation>Por defecto 2 o más evaluaciones válidas consecutivas (política de CLINICAL.md)</translation>
    </message>
    <message>
        <source>Sustained: spanning at least</source>
        <translation>Mantenida: abarcando al menos</translation>
    </message>
    <message>
        <source> days</source>
        <translation> días</translation>
    </message>
    <message>
        <source>Default 14 days (CLINICAL.md policy)</source>
        <translation>Por defecto 14 días (política de CLINICAL.md)</translation>
    </message>
    <message>
        <source>Early improvement ≥</source>
        <translation>Mejoría temprana ≥</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Default 20% by about week 2 predicts later response (CLINICAL.md)</source>
        <translation>Por defecto 20% hacia la semana 2, que predice la respuesta posterior (CLINICAL.md)</translation>
    </message>
    <message>
        <source>Early improvement judged by day</source>
        <translation>Mejoría temprana valorada el día</translation>
    </message>
    <message>
        <source>Default day 14 (about week 2)</source>
        <translation>Por defecto el día 14 (hacia la semana 2)</translation>
    </message>
    <message>
        <source>IV ketamine: judged by infusion</source>
        <translation>Ketamina IV: valorada en la infusión</translation>
    </message>
    <message>
        <source>Default 4: no 20% improvement by infusion 4 predicted non-response</source>
        <translation>Por defecto 4: sin un 20% de mejoría en la infusión 4 se predijo la no respuesta</translation>
    </message>
    <message>
        <source>Baseline may be dated before the start by</source>
        <translation>La basal puede ser anterior al inicio hasta</translation>
    </message>
    <message>
        <source>Default 90 days (policy)</source>
        <translation>Por defecto 90 días (política)</translation>
    </message>
    <message>
        <source>Induction: a session every</source>
        <translation>Inducción: una sesión cada</translation>
    </message>
    <message>
        <source>Default 3: 6 IV ketamine infusions over 2-3 weeks (CLINICAL.md)</source>
        <translation>Por defecto 3: 6 infusiones de ketamina IV en 2-3 semanas (CLINICAL.md)</translation>
    </message>
    <message>
        <source>Continuation: a session every</source>
        <translation>Continuación: una sesión cada</translation>
    </message>
    <message>
        <source>Default 7 (policy)</source>
        <translation>Por defecto 7 (política)</translation>
    </message>
    <message>
        <source>Maintenance: a session every</source>
        <translation>Mantenimiento: una sesión cada</translation>
    </message>
    <message>
        <source>Default 21: KAP maintenance about every 21 days (CLINICAL.md)</source>
        <translation>Por defecto 21: mantenimiento de KAP cada 21 días aproximadamente (CLINICAL.md)</translation>
    </message>
    <message>
        <source>Link a score to a session up to</source>
        <translation>Vincular una puntuación a una sesión hasta</translation>
    </message>
    <message>
        <source> days later</source>
        <translation> días después</translation>
    </message>
    <message>
        <source>Default 3 (the weekend): a score with no session that day links to the next</source>
        <translation>Por defecto 3 (el fin de semana): una puntuación sin sesión ese día se vincula a la siguiente</translation>
    </message>
    <message>
        <source>List a follow-up before it is due by</source>
        <translation>Listar un seguimiento antes de su fecha con</translation>
    </message>
    <message>
        <source>Default 2</source>
        <translation>Por defecto 2</translation>
    </message>
    <message>
        <source>Keep an overdue follow-up listed for</source>
        <translation>Mantener listado un seguimiento vencido durante</translation>
    </message>
    <message>
        <source>Default 14</source>
        <translation>Por defecto 14</translation>
    </message>
    <message>
        <source>Today lists unsubmitted REMS forms of the last</source>
        <translation>Hoy lista los formularios REMS sin enviar de los últimos</translation>
    </message>
    <message>
        <source>Default 30</source>
        <translation>Por defecto 30</translation>
    </message>
    <message>
        <source>Warn when payer-authorised sessions left ≤</source>
        <translation>Avisar cuando las sesiones autorizadas por el pagador restantes sean ≤</translation>
    </message>
    <message>
        <source>Default 3</source>
        <translation>Por defecto 3</translation>
    </message>
    <message>
        <source>Dose at systolic ≤</source>
        <translation>Administrar la dosis con sistólica ≤</translation>
    </message>
    <message>
        <source> mmHg</source>
        <translation> mmHg</translation>
    </message>
    <message>
        <source>Default 140/90 before dosing, as in the esketamine label</source>
        <translation>Por defecto 140/90 antes de la dosis, como en la ficha técnica de la esketamina</translation>
    </message>
    <message>
        <source>Dose at diastolic ≤</source>
        <translation>Administrar la dosis con diastólica ≤</translation>
    </message>
    <message>
        <source>Default 90</source>
        <translation>Por defecto 90</translation>
    </message>
    <message>
        <source>Alert above systolic</source>
        <translation>Alerta por encima de sistólica</translation>
    </message>
    <message>
        <source>Default 180/110 (policy)</source>
        <translation>Por defecto 180/110 (política)</translation>
    </message>
    <message>
        <source>Alert above diastolic</source>
        <translation>Alerta por encima de diastólica</translation>
    </message>
    <message>
        <source>Default 110</source>
        <translation>Por defecto 110</translation>
    </message>
    <message>
        <source>Discharge at systolic ≤</source>
        <translation>Alta con sistólica ≤</translation>
    </message>
    <message>
        <source>Default 160/100 (policy)</source>
        <translation>Por defecto 160/100 (política)</translation>
    </message>
    <message>
        <source>Discharge at diastolic ≤</source>
        <translation>Alta con diastólica ≤</translation>
    </message>
    <message>
        <source>Default 100</source>
        <translation>Por defecto 100</translation>
    </message>
    <message>
        <source>Heart rate at least</source>
        <translation>Frecuencia cardiaca al menos</translation>
    </message>
    <message>
        <source> /min</source>
        <translation> /min</translation>
    </message>
    <message>
        <source>Default 50</source>
        <translation>Por defecto 50</translation>
    </message>
    <message>
        <source>Heart rate at most</source>
        <translation>Frecuencia cardiaca como máximo</translation>
    </message>
    <message>
        <source>Default 120</source>
        <translation>Por defecto 120</translation>
    </message>
    <message>
        <source>SpO₂ at least</source>
        <translation>SpO₂ al menos</translation>
    </message>
    <message>
        <source>Default 92%</source>
        <translation>Por defecto 92%</translation>
    </message>
    <message>
        <source>Warn when mg and mg/kg × weight differ by &gt;</source>
        <translation>Avisar cuando mg y mg/kg × peso difieran en &gt;</translation>
    </message>
    <message>
        <source>Default 10%</source>
        <translation>Por defecto 10%</translation>
    </message>
    <message>
        <source>REMS: monitor for at least</source>
        <translation>REMS: vigilar durante al menos</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Default 120: esketamine REMS, 2 hours after the dose</source>
        <translation>Por defecto 120: REMS de esketamina, 2 horas después de la dosis</translation>
    </message>
    <message>
        <source>REMS: submit the form within</source>
        <translation>REMS: enviar el formulario en</translation>
    </message>
    <message>
        <source>Default 7 days (esketamine REMS)</source>
        <translation>Por defecto 7 días (REMS de esketamina)</translation>
    </message>
    <message>
        <source>TMS: re-determine a motor threshold older than</source>
        <translation>EMT: volver a determinar un umbral motor con más de</translation>
    </message>
    <message>
        <source>Default 7 days (policy)</source>
        <translation>Por defecto 7 días (política)</translation>
    </message>
    <message>
        <source>ECT: adequate EEG seizure ≥</source>
        <translation>TEC: crisis adecuada en EEG ≥</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Default 25 s (policy)</source>
        <translation>Por defecto 25 s (política)</translation>
    </message>
    <message>
        <source>ECT: adequate motor seizure ≥</source>
        <translation>TEC: crisis motora adecuada ≥</translation>
    </message>
    <message>
        <source>Default 20 s (policy)</source>
        <translation>Por defecto 20 s (política)</translation>
    </message>
    <message>
        <source>6-week value: closest to day</source>
        <translation>Valor a 6 semanas: el más cercano al día</translation>
    </message>
    <message>
        <source>Default day 42 (Psychiatry Res 2025)</source>
        <translation>Por defecto el día 42 (Psychiatry Res 2025)</translation>
    </message>
    <message>
        <source>6-week window from day</source>
        <translation>Ventana de 6 semanas desde el día</translation>
    </message>
    <message>
        <source>Default 28</source>
        <translation>Por defecto 28</translation>
    </message>
    <message>
        <source>6-week window to day</source>
        <translation>Ventana de 6 semanas hasta el día</translation>
    </message>
    <message>
        <source>Default 56</source>
        <translation>Por defecto 56</translation>
    </message>
    <message>
        <source>C/M: a session within</source>
        <translation>C/M: una sesión en</translation>
    </message>
    <message>
        <source>Default 90 days after the last induction session (CLINICAL.md)</source>
        <translation>Por defecto 90 días tras la última sesión de inducción (CLINICAL.md)</translation>
    </message>
    <message>
        <source>C/M outcome: hospitalization within</source>
        <translation>Resultado C/M: hospitalización en</translation>
    </message>
    <message>
        <source>Default 365 days (Psychiatry Res 2025)</source>
        <translation>Por defecto 365 días (Psychiatry Res 2025)</translation>
    </message>
    <message>
        <source>Fewest courses to report a rate or model</source>
        <translation>Mínimo de cursos para dar una tasa o un modelo</translation>
    </message>
    <message>
        <source>Default 10</source>
        <translation>Por defecto 10</translation>
    </message>
    <message>
        <source>Fewest events for the relative-risk model</source>
        <translation>Mínimo de eventos para el modelo de riesgo relativo</translation>
    </message>
    <message>
        <source>Default 5</source>
        <translation>Por defecto 5</translation>
    </message>
    <message>
        <source>Trajectory groups: at most</source>
        <translation>Grupos de trayectoria: como máximo</translation>
    </message>
    <message>
        <source>Default 6; BIC chooses among 1 to this (J Affect Disord 2026 found 4)</source>
        <translation>Por defecto 6; el BIC elige entre 1 y este número (J Affect Disord 2026 halló 4)</translation>
    </message>
    <message>
        <source>Trajectory curve degree</source>
        <translation>Grado de la curva de trayectoria</translation>
    </message>
    <message>
        <source>Trajectory random starts</source>
        <translation>Inicios aleatorios de la trayectoria</translation>
    </message>
    <message>
        <source>Trajectory: last visit modelled</source>
        <translation>Trayectoria: última visita modelada</translation>
    </message>
    <message>
        <source>Default 8 (baseline = 0)</source>
        <translation>Por defecto 8 (basal = 0)</translation>
    </message>
    <message>
        <source>Trajectory seed</source>
        <translation>Semilla de la trayectoria</translation>
    </message>
    <message>
        <source>Default 2026: the same data gives the same groups</source>
        <translation>Por defecto 2026: los mismos datos dan los mismos grupos</translation>
    </message>
    <message>
        <source>Flag groups with mean posterior below</source>
        <translation>Señalar grupos con probabilidad posterior media inferior a</translation>
    </message>
    <message>
        <source>Default 70%</source>
        <translation>Por defecto 70%</translation>
    </message>
    <message>
        <source>Flag groups smaller than</source>
        <translation>Señalar grupos menores que</translation>
    </message>
    <message>
        <source>Default 5% of patients</source>
        <translation>Por defecto 5% de los pacientes</translation>
    </message>
    <message>
        <source>{name}: prorate with at most</source>
        <translation>{name}: prorratear con un máximo de</translation>
    </message>
    <message>
        <source> missing item(s)</source>
        <translation> ítem(s) sin responder</translation>
    </message>
    <message>
        <source>Default {d} (CLINICAL.md policy); more missing = no total</source>
        <translation>Por defecto {d} (política de CLINICAL.md); más sin responder = sin total</translation>
    </message>
    <message>
        <source>{name}: a case at ≥</source>
        <translation>{name}: caso a partir de ≥</translation>
    </message>
    <message>
        <source>Default {d} (NHS Talking Therapies)</source>
        <translation>Por defecto {d} (NHS Talking Therapies)</translation>
    </message>
    <message>
        <source>{name}: reliable change ≥</source>
        <translation>{name}: cambio fiable ≥</translation>
    </message>
    <message>
        <source> points</source>
        <translation> puntos</translation>
    </message>
    <message>
        <source>{name}: clinically important change ≥</source>
        <translation>{name}: cambio clínicamente importante ≥</translation>
    </message>
    <message>
        <source>Default {d} points (minimal clinically important difference)</source>
        <translation>Por defecto {d} puntos (diferencia mínima clínicamente importante)</translation>
    </message>
    <message>
        <source>{name}: flag item {item} at ≥</source>
        <translation>{name}: alertar del ítem {item} a partir de ≥</translation>
    </message>
    <message>
        <source>Default {d} (CLINICAL.md policy)</source>
        <translation>Por defecto {d} (política de CLINICAL.md)</translation>
    </message>
</context>
<context>
    <name>printing</name>
    <message>
        <source>The document to print could not be read: {0}</source>
        <translation>No se pudo leer el documento que se iba a imprimir: {0}</translation>
    </message>
    <message>
        <source>the printer</source>
        <translation>la impresora</translation>
    </message>
    <message>
        <source>Printing could not start on {0}; nothing was printed.</source>
        <translation>No se pudo empezar a imprimir en {0}; no se imprimió nada.</translation>
    </message>
    <message>
        <source>Printing could not start on {0}: its folder is missing or not writable; nothing was printed.</source>
        <translation>No se pudo empezar a imprimir en {0}: su carpeta no existe o no permite escritura; no se imprimió nada.</translation>
    </message>
</context>
<context>
    <name>record_tables</name>
    <message>
        <source>Unusual values confirmed at save:
</source>
        <translation>Valores inusuales confirmados al guardar:
</translation>
    </message>
    <message>
        <source>not linked</source>
        <translation>sin vincular</translation>
    </message>
    <message>
        <source>{0} (set by hand)</source>
        <translation>{0} (fijado a mano)</translation>
    </message>
    <message>
        <source>⚠ OPEN</source>
        <translation>⚠ ABIERTA</translation>
    </message>
    <message>
        <source>Record changed outside the app: {0}</source>
        <translation>Registro modificado fuera de la aplicación: {0}</translation>
    </message>
    <message>
        <source>prorated: items were missing</source>
        <translation>prorrateado: faltaban ítems</translation>
    </message>
    <message>
        <source>Link to session… (Ctrl+L) changes it</source>
        <translation>Vincular a sesión… (Ctrl+L) lo cambia</translation>
    </message>
    <message>
        <source>Linked by the clinic&apos;s rule: same day, or the next session within the window</source>
        <translation>Vinculada por la regla de la clínica: el mismo día, o la siguiente sesión dentro del plazo</translation>
    </message>
    <message>
        <source>not scorable</source>
        <translation>no puntuable</translation>
    </message>
</context>
<context>
    <name>session_dialog</name>
    <message>
        <source>(none)</source>
        <translation>(ninguno)</translation>
    </message>
</context>
<context>
    <name>summary_panel</name>
    <message>
        <source>&lt;p&gt;&lt;b&gt;{0}&lt;/b&gt; from {1:%Y-%m-%d} · phase &lt;b&gt;{2}&lt;/b&gt; · {3}&lt;br&gt;Sessions &lt;b&gt;{4}&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;{0}&lt;/b&gt; desde el {1:%Y-%m-%d} · fase &lt;b&gt;{2}&lt;/b&gt; · {3}&lt;br&gt;Sesiones &lt;b&gt;{4}&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p class=&apos;muted&apos;&gt;No scores recorded yet (Ctrl+E: new entry).&lt;/p&gt;</source>
        <translation>&lt;p class=&apos;muted&apos;&gt;Aún no hay puntuaciones registradas (Ctrl+E: nueva entrada).&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Record action…</source>
        <translation>Registrar acción…</translation>
    </message>
    <message>
        <source>&lt;p class=&apos;flag&apos;&gt;⚠ {0} OPEN SAFETY FLAG(S)&lt;/p&gt;&lt;ul&gt;{1}&lt;/ul&gt;</source>
        <translation>&lt;p class=&apos;flag&apos;&gt;⚠ {0} ALERTA(S) DE SEGURIDAD ABIERTA(S)&lt;/p&gt;&lt;ul&gt;{1}&lt;/ul&gt;</translation>
    </message>
    <message>
        <source> (in the {0} course from {1:%Y-%m-%d})</source>
        <translation> (en el curso de {0} desde el {1:%Y-%m-%d})</translation>
    </message>
    <message>
        <source>&lt;p class=&apos;flag&apos;&gt;⚠ {0} stored record(s) disagree with their items&lt;/p&gt;</source>
        <translation>&lt;p class=&apos;flag&apos;&gt;⚠ {0} registro(s) guardado(s) no coinciden con sus ítems&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;tr&gt;&lt;th&gt;Instrument&lt;/th&gt;&lt;th&gt;Baseline&lt;/th&gt;&lt;th&gt;Latest&lt;/th&gt;&lt;th&gt;Change&lt;/th&gt;&lt;th&gt;Outcome&lt;/th&gt;&lt;th&gt;Remission&lt;/th&gt;&lt;th&gt;Reliable change&lt;/th&gt;&lt;/tr&gt;</source>
        <translation>&lt;tr&gt;&lt;th&gt;Instrumento&lt;/th&gt;&lt;th&gt;Basal&lt;/th&gt;&lt;th&gt;Última&lt;/th&gt;&lt;th&gt;Cambio&lt;/th&gt;&lt;th&gt;Resultado&lt;/th&gt;&lt;th&gt;Remisión&lt;/th&gt;&lt;th&gt;Cambio fiable&lt;/th&gt;&lt;/tr&gt;</translation>
    </message>
    <message>
        <source>sustained response from {0:%Y-%m-%d}</source>
        <translation>respuesta sostenida desde el {0:%Y-%m-%d}</translation>
    </message>
    <message>
        <source>sustained remission from {0:%Y-%m-%d}</source>
        <translation>remisión sostenida desde el {0:%Y-%m-%d}</translation>
    </message>
    <message>
        <source>response at session {0}</source>
        <translation>respuesta en la sesión {0}</translation>
    </message>
    <message>
        <source>recovery</source>
        <translation>recuperación</translation>
    </message>
    <message>
        <source>no recovery</source>
        <translation>sin recuperación</translation>
    </message>
    <message>
        <source>&lt;b&gt;Early improvement ({0}, {1})&lt;/b&gt;: {2}{3}.&lt;br&gt;&lt;span class=&apos;muted&apos;&gt;{4}&lt;/span&gt;</source>
        <translation>&lt;b&gt;Mejoría temprana ({0}, {1})&lt;/b&gt;: {2}{3}.&lt;br&gt;&lt;span class=&apos;muted&apos;&gt;{4}&lt;/span&gt;</translation>
    </message>
    <message>
        <source>&lt;p class=&apos;muted&apos;&gt;No events recorded.&lt;/p&gt;</source>
        <translation>&lt;p class=&apos;muted&apos;&gt;No hay eventos registrados.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Recent events&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;{0}&lt;/ul&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Eventos recientes&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;{0}&lt;/ul&gt;</translation>
    </message>
</context>
<context>
    <name>texts</name>
    <message>
        <source>no change</source>
        <translation>sin cambios</translation>
    </message>
    <message>
        <source>{0} pts better</source>
        <translation>{0} pts mejor</translation>
    </message>
    <message>
        <source>{0} pts worse</source>
        <translation>{0} pts peor</translation>
    </message>
    <message>
        <source>n/a (ordinal scale)</source>
        <translation>n/a (escala ordinal)</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Respuesta</translation>
    </message>
    <message>
        <source>Partial response</source>
        <translation>Respuesta parcial</translation>
    </message>
    <message>
        <source>Non-response</source>
        <translation>Sin respuesta</translation>
    </message>
    <message>
        <source>Not evaluable</source>
        <translation>No evaluable</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>n/a</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Sí</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <source>Improvement</source>
        <translation>Mejoría</translation>
    </message>
    <message>
        <source>Deterioration</source>
        <translation>Empeoramiento</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Ninguno</translation>
    </message>
    <message>
        <source>No standard value</source>
        <translation>Sin valor estándar</translation>
    </message>
    <message>
        <source>, best {0}</source>
        <translation>, mejor {0}</translation>
    </message>
    <message>
        <source>remission</source>
        <translation>remisión</translation>
    </message>
    <message>
        <source>no scores yet</source>
        <translation>aún no hay puntuaciones</translation>
    </message>
    <message>
        <source>baseline {0} on {1} · no later score yet</source>
        <translation>basal {0} el {1} · aún sin puntuación posterior</translation>
    </message>
</context>
</TS>
