"""Danish and English labels in one table, for the app, its downloads and the HTML reports.

``text(key, lang, n=3)`` returns the label in a language and fills ``{n}``; ``TERMS`` explain the
Danish terms on hover. Every key has both languages (``tests/app/test_shell.py`` checks it). No
Streamlit here: the app picks the language from the session (``app_pages.i18n``), a report from
its caller, so a report downloaded in an English session is all English.
"""
from __future__ import annotations

LANGS = ("da", "en")
LANG_NAMES = {"da": "Dansk", "en": "English"}
DEFAULT_LANG = "da"

# Danish terms a planner meets in the app, explained in both languages (DESIGN §9).
TERMS: dict[str, dict[str, str]] = {
    "sygedagpenge": {
        "da": "Sygedagpenge: ydelsen under sygefravær. Arbejdsgiveren betaler de første 30 dage, derefter kommunen "
              "(med statslig refusion, der falder med varigheden).",
        "en": "Sygedagpenge: sickness benefit. The employer pays the first 30 days, then the municipality "
              "(with a state refund that falls with the length of the spell).",
    },
    "jobafklaring": {
        "da": "Jobafklaringsforløb: forløb med ressourceforløbsydelse for dem, der ikke kan få sygedagpenge forlænget "
              "ved revurderingen efter 22 uger.",
        "en": "Jobafklaringsforløb: a clarification course on resource-course benefit for citizens whose sickness "
              "benefit cannot be extended at the 22-week reassessment.",
    },
    "trepartssamtale": {
        "da": "Trepartssamtale: møde mellem borger, jobkonsulent og behandler (2-3 i IBBIS), hvor der aftales en "
              "fælles plan og et jobmål.",
        "en": "Trepartssamtale: tripartite meeting of citizen, employment consultant and health professional "
              "(2-3 in IBBIS) that agrees a shared plan and a job goal.",
    },
    "efterværn": {
        "da": "Efterværn: opfølgning efter raskmelding, som skal forebygge ny sygemelding.",
        "en": "Efterværn: aftercare after return to work, meant to prevent re-sick-listing.",
    },
    "sagsstamme": {
        "da": "Sagsstamme: antal borgere pr. jobkonsulent. Normer set: ~80 sænket til ~35 (Hjørring), ~50 "
              "(København), højst 25 (IPS).",
        "en": "Sagsstamme: caseload, citizens per employment consultant. Norms seen: ~80 cut to ~35 (Hjørring), "
              "~50 (Copenhagen), at most 25 (IPS).",
    },
    "raskmelding": {
        "da": "Raskmelding: borgeren er tilbage i arbejde / ude af sygedagpenge.",
        "en": "Raskmelding: declared fit, back at work / off sickness benefit.",
    },
    "crn": {
        "da": "Fælles tilfældige tal: alle scenarier får de samme borgere og de samme tilfældige udfald i hver "
              "gentagelse, så forskellen skyldes indsatsen og ikke tilfældigheder.",
        "en": "Common random numbers: every scenario gets the same citizens and the same random draws in each "
              "replication, so a difference comes from the policy, not from chance.",
    },
}

LABELS: dict[str, dict[str, str]] = {
    # app frame
    "app_title": {"da": "rtwsim - tilbage til arbejde", "en": "rtwsim - return to work"},
    "app_caption": {
        "da": "Simulation af borgere på sygedagpenge med psykiske lidelser: hvad flytter en investering i "
              "integrerede beskæftigelses- og sundhedsforløb?",
        "en": "Simulation of citizens on sickness benefit with mental disorders: what does an investment in "
              "integrated employment and health pathways change?"},
    "language": {"da": "Sprog", "en": "Language"},
    "page_home": {"da": "Start", "en": "Start"},
    "home_what": {"da": "Hvad kan du her?", "en": "What you can do here"},
    "home_explorer": {"da": "Vælg et scenarie, juster sagsstammer, behandlere, pladser og møder, og se tid på "
                               "sygedagpenge, raskmelding, ventelister og udnyttelse.",
                      "en": "Pick a scenario, adjust caseloads, therapists, places and meetings, and see time on "
                            "sickness benefit, recovery, waiting lists and utilisation."},
    "home_compare": {"da": "Sæt to eller flere scenarier side om side på de samme borgere og se forskellen med "
                               "usikkerhed.",
                     "en": "Put two or more scenarios side by side on the same citizens and see the difference "
                           "with its uncertainty."},
    "home_optimise": {"da": "Den bedste fordeling af et fast budget på konsulenter, sundhedspersonale og købt behandling, "
                            "under usikkerhed.",
                      "en": "The best split of a fixed budget across consultants, health staff and purchased treatment, "
                            "under uncertainty."},
    "home_investment": {"da": "Et budget pr. år og dets fordeling bliver til årsværk og pladser, og til "
                                  "budgeteffekt og tilbagebetalingstid.",
                        "en": "A budget per year and its split become staff and places, and a budget effect by "
                              "year with payback."},
    "home_calibration": {"da": "Hvor godt rammer modellen de lokale tal, og hvilke parameterværdier er forenelige "
                                   "med dem?",
                         "en": "How well does the model hit the local figures, and which parameter values agree "
                               "with them?"},
    "home_sensitivity": {"da": "Hvilke usikre antagelser flytter resultatet mest?",
                         "en": "Which uncertain assumptions move the result most?"},
    "home_read": {"da": "Sådan læses tallene", "en": "How to read the numbers"},
    "home_read_body": {
        "da": "Hver kørsel gentages mange gange med forskellige tilfældige borgere. Tallene er gennemsnit over "
              "gentagelserne, og 95%-intervallet viser, hvor sikkert gennemsnittet er bestemt. Scenarier "
              "sammenlignes på de samme borgere (fælles tilfældige tal), så forskellen skyldes indsatsen. "
              "Intervallerne rummer ikke usikkerheden i modellens antagelser - den viser siderne Kalibrering og "
              "Følsomhed.",
        "en": "Every run is repeated many times with different random citizens. Numbers are means over the "
              "replications, and the 95% interval shows how precisely the mean is known. Scenarios are compared "
              "on the same citizens (common random numbers), so a difference comes from the policy. The intervals "
              "do not include the uncertainty of the model's assumptions - the Calibration and Sensitivity pages "
              "show that."},
    "page_explorer": {"da": "Scenarie", "en": "Scenario explorer"},
    "page_compare": {"da": "Sammenlign", "en": "Compare scenarios"},
    "page_investment": {"da": "Investering", "en": "Investment planner"},
    "page_optimise": {"da": "Bedste fordeling", "en": "Best split"},
    "page_calibration": {"da": "Kalibrering", "en": "Calibration"},
    "page_sensitivity": {"da": "Følsomhed", "en": "Sensitivity"},
    "glossary": {"da": "Ordliste", "en": "Glossary"},
    # scenario choice
    "source": {"da": "Kilde", "en": "Source"},
    "choose_scenario": {"da": "Vælg scenarie", "en": "Choose a scenario"},
    "from_library": {"da": "Fra scenariebiblioteket", "en": "From the scenario library"},
    "upload": {"da": "Upload YAML-filer", "en": "Upload YAML files"},
    "upload_help": {"da": "Scenariefiler som dem i scenarios/ (flere filer eller en zip); 'extends' må pege på et "
                          "scenarie i biblioteket eller på en af de uploadede filer (fx my_municipality_today.yaml).",
                    "en": "Scenario files like those in scenarios/ (several files or a zip); 'extends' may name a "
                          "scenario in the library or one of the uploaded files (e.g. my_municipality_today.yaml)."},
    "upload_prompt": {"da": "Upload en scenariefil for at fortsætte.", "en": "Upload a scenario file to continue."},
    "upload_not_text": {"da": "Filen {name} er ikke en tekstfil (UTF-8), så den kan ikke være YAML.",
                        "en": "The file {name} is not a text file (UTF-8), so it cannot be YAML."},
    "upload_not_yaml": {"da": "Filen {name} er ikke gyldig YAML: {err}", "en": "The file {name} is not valid YAML: {err}"},
    "upload_twice": {"da": "Filen {name} er uploadet to gange; giv filerne forskellige navne.",
                     "en": "The file {name} is uploaded twice; give the files different names."},
    "upload_too_many": {"da": "Højst {n} scenariefiler ad gangen.", "en": "At most {n} scenario files at a time."},
    "upload_bad_zip": {"da": "Filen {name} er ikke en gyldig zip-fil.", "en": "The file {name} is not a valid zip file."},
    "upload_missing_parent": {
        "da": "{name} bygger på {parent} ('extends'), men {parent} er ikke uploadet: upload begge filer sammen.",
        "en": "{name} extends {parent}, but {parent} is not uploaded: upload both files together."},
    "upload_pick": {"da": "Scenarie fra de uploadede filer", "en": "Scenario from the uploaded files"},
    "upload_invalid": {"da": "Scenariet i {name} kan ikke bruges:", "en": "The scenario in {name} cannot be used:"},
    "upload_ok": {"da": "Scenariet {name} er indlæst og gyldigt.", "en": "Scenario {name} loaded and valid."},
    "levers": {"da": "Håndtag", "en": "Levers"},
    "levers_help": {"da": "Ændringer gælder kun her i appen; hent det ændrede scenarie som YAML nedenfor.",
                    "en": "Changes apply here in the app only; download the edited scenario as YAML below."},
    "levers_investment": {"da": "Scenariet har en investering: konsulenter, behandlere og pladser i det finansierede "
                                "forløb sættes af budgettet - ændr dem på siden Investering.",
                          "en": "This scenario has an investment: consultants, therapists and places in the funded "
                                "pathway are set by the budget - change them on the Investment planner page."},
    "arrivals_per_year": {"da": "Nye sygemeldte pr. år", "en": "Newly sick-listed per year"},
    "cash_on": {"da": "Også kontanthjælpsmodtagere og ressourceforløb (anden population)",
                "en": "Also cash-benefit recipients and ressourceforløb (second population)"},
    "cash_help": {"da": "Aktivitetsparate og jobparate kontanthjælpsmodtagere og borgere i ressourceforløb, på de "
                        "samme sagsbehandlere og behandlingspladser. Gruppernes satser er antagelser.",
                  "en": "Activity-ready and job-ready cash-benefit recipients and citizens in ressourceforløb, on the "
                        "same caseworkers and treatment places. The groups' rates are assumptions."},
    "cash_group_per_year": {"da": "{name}: nye pr. år", "en": "{name}: new per year"},
    "arrivals_help": {"da": "Borgere, der når jobcentret om året (Poisson-strøm).",
                      "en": "Citizens reaching the jobcentre per year (Poisson stream)."},
    "pool": {"da": "Konsulentpulje: {name}", "en": "Consultant pool: {name}"},
    "consultants": {"da": "Jobkonsulenter (årsværk)", "en": "Consultants (FTE)"},
    "caseload_limit": {"da": "Sagsstamme (maks. pr. konsulent)", "en": "Caseload limit per consultant"},
    "provider": {"da": "Behandler i jobcentret: {name}", "en": "Internal treatment provider: {name}"},
    "therapists": {"da": "Behandlere", "en": "Therapists"},
    "slots": {"da": "Forløb ad gangen pr. behandler", "en": "Concurrent courses per therapist"},
    "places": {"da": "Pladser i integreret forløb pr. år", "en": "Places in the integrated pathway per year"},
    "places_unlimited": {"da": "Ubegrænset antal pladser", "en": "Unlimited places"},
    "meetings": {"da": "Trepartssamtaler pr. forløb", "en": "Tripartite meetings per spell"},
    "aftercare": {"da": "Uger med efterværn", "en": "Weeks of aftercare"},
    "pathway_settings": {"da": "Forløb: {name}", "en": "Pathway: {name}"},
    "horizon": {"da": "Simulerede uger", "en": "Simulated weeks"},
    "horizon_help": {"da": "Skal være længere end indkøring ({warmup} uger) plus opgørelseshorisont ({rec} uger).",
                     "en": "Must exceed the warm-up ({warmup} weeks) plus the recovery horizon ({rec} weeks)."},
    "reps": {"da": "Gentagelser", "en": "Replications"},
    "reps_help": {"da": "Flere gentagelser giver smallere intervaller, men tager længere tid.",
                  "en": "More replications give narrower intervals but take longer."},
    "seed": {"da": "Startværdi (seed)", "en": "Seed"},
    "seed_help": {"da": "Samme seed og samme scenarie giver præcis de samme resultater.",
                  "en": "The same seed and scenario give exactly the same results."},
    "jobs": {"da": "Parallelle processer", "en": "Parallel processes"},
    "jobs_help": {"da": "Gentagelser fordelt på flere processorkerner; resultaterne er de samme.",
                  "en": "Replications spread over several processor cores; the results are the same."},
    "run": {"da": "Kør simulation", "en": "Run simulation"},
    "out_of_range": {"da": "{field}: {value} er uden for det tilladte interval {lo} til {hi}.",
                     "en": "{field}: {value} is outside the allowed range {lo} to {hi}."},
    "run_blocked": {"da": "Kan ikke køre, før disse felter er rettet:", "en": "Cannot run until these fields are fixed:"},
    "running": {"da": "Simulerer {done} af {total} gentagelser ...", "en": "Simulating {done} of {total} replications ..."},
    "time_left": {"da": "(ca. {s} s tilbage)", "en": "(about {s} s left)"},
    "cancel": {"da": "Afbryd", "en": "Cancel"},
    "run_cancelled": {"da": "Kørslen blev afbrudt; tidligere resultater er bevaret.",
                      "en": "The run was cancelled; earlier results are kept."},
    "done_in": {"da": "Færdig på {s:.1f} s.", "en": "Done in {s:.1f} s."},
    "from_cache": {"da": "Hentet fra cache (samme scenarie, seed og gentagelser).",
                   "en": "Taken from the cache (same scenario, seed and replications)."},
    "invalid_levers": {"da": "Denne kombination af håndtag giver et ugyldigt scenarie; tidligere resultater er bevaret:",
                       "en": "This combination of levers gives an invalid scenario; earlier results are kept:"},
    "no_results": {"da": "Vælg scenarie og håndtag, og tryk på '{run}'.", "en": "Choose a scenario and levers, then press '{run}'."},
    "stale": {"da": "Resultaterne nedenfor er for en tidligere indstilling ({name}, {reps} gentagelser, seed {seed}). "
                    "Tryk '{run}' for at opdatere.",
              "en": "The results below are for earlier settings ({name}, {reps} replications, seed {seed}). "
                    "Press '{run}' to update."},
    "results_for": {"da": "Resultater for {name}: {reps} gentagelser, seed {seed}, {weeks} uger.",
                    "en": "Results for {name}: {reps} replications, seed {seed}, {weeks} weeks."},
    "download_yaml": {"da": "Hent scenariet som YAML", "en": "Download the scenario as YAML"},
    "download_yaml_help": {"da": "Filen kan køres uændret med 'rtwsim run FIL'.",
                           "en": "The file runs unchanged with 'rtwsim run FILE'."},
    "edited": {"da": "ændret", "en": "edited"},
    "changed_levers": {"da": "Ændrede håndtag: {n}", "en": "Changed levers: {n}"},
    # results
    "tab_curve": {"da": "Tid på sygedagpenge", "en": "Time on benefit"},
    "tab_outcomes": {"da": "Raskmelding og varighed", "en": "Recovery and duration"},
    "tab_capacity": {"da": "Ventelister og sagsstammer", "en": "Waiting lists and caseloads"},
    "tab_util": {"da": "Udnyttelse", "en": "Utilisation"},
    "tab_effects": {"da": "Håndtag i modellen", "en": "Effects"},
    "tab_all": {"da": "Alle tal", "en": "All outputs"},
    "benefit_curve": {"da": "Andel stadig på sygedagpenge efter uger siden start", "en": "Share still on sickness benefit by week since entry"},
    "benefit_curve_caption": {"da": "Kaplan-Meier pr. gentagelse; linjen er gennemsnittet, båndet 95%-interval over gentagelser.",
                              "en": "Kaplan-Meier per replication; the line is the mean, the band the 95% interval over replications."},
    "weeks_since_entry": {"da": "Uger siden start i jobcentret", "en": "Weeks since entry at the jobcentre"},
    "share_on_benefit": {"da": "Andel på sygedagpenge", "en": "Share on sickness benefit"},
    "outcomes": {"da": "Raskmelding og varighed (95%-intervaller)", "en": "Recovery and spell duration (95% intervals)"},
    "recovered": {"da": "Raskmeldt inden for {h} uger", "en": "Back at work within {h} weeks"},
    "mean_weeks": {"da": "Gns. uger på sygedagpenge", "en": "Mean weeks on sickness benefit"},
    "median_weeks": {"da": "Median uger på sygedagpenge", "en": "Median weeks on sickness benefit"},
    "to_jobafklaring": {"da": "Overgået til jobafklaring", "en": "Transferred to jobafklaring"},
    "returns_year": {"da": "Tilbage i arbejde pr. år", "en": "Returns to work per year"},
    "capacity": {"da": "Ventelister og sagsstammer over tid", "en": "Waiting lists and caseloads over time"},
    "capacity_caption": {"da": "Gennemsnit over gentagelser med 95%-bånd; den stiplede linje er indkøringen.",
                         "en": "Mean over replications with 95% band; the dotted line marks the end of the warm-up."},
    "week": {"da": "Uge", "en": "Week"},
    "caseload_per_consultant": {"da": "Sagsstamme pr. konsulent", "en": "Caseload per consultant"},
    "treatment_waiting": {"da": "Venteliste til behandling", "en": "Waiting list for treatment"},
    "consultant_waiting": {"da": "Venter på en konsulent", "en": "Waiting for a consultant"},
    "utilisation": {"da": "Udnyttelse af kapacitet", "en": "Utilisation"},
    "utilisation_caption": {"da": "Andel af konsulenternes mødetimer og behandlernes pladser, der er i brug (efter indkøring).",
                            "en": "Share of consultants' meeting hours and therapists' slots in use (after warm-up)."},
    "effects": {"da": "Hvilke håndtag flytter chancen for at vende tilbage?", "en": "Which lever moves the return hazard?"},
    "effects_caption": {"da": "Gennemsnitligt bidrag til log-hazard pr. forløb; faktor > 1 øger den ugentlige chance for at vende tilbage.",
                        "en": "Mean contribution to the log hazard by pathway; a multiplier > 1 raises the weekly chance of returning."},
    "hazard_multiplier": {"da": "Faktor på ugentlig chance", "en": "Multiplier on the weekly hazard"},
    "all_outputs": {"da": "Alle resultater (gennemsnit og 95%-interval)", "en": "All outputs (mean and 95% interval)"},
    "per_replication": {"da": "Resultater pr. gentagelse", "en": "Outputs per replication"},
    "download_csv": {"da": "CSV", "en": "CSV"},
    "download_xlsx": {"da": "Excel", "en": "Excel"},
    "download_report": {"da": "Hent HTML-rapport", "en": "Download HTML report"},
    "metric_col": {"da": "Mål", "en": "Metric"},
    "group_col": {"da": "Gruppe", "en": "Group"},
    "mean_col": {"da": "Gennemsnit", "en": "Mean"},
    "ci_col": {"da": "95%-interval", "en": "95% interval"},
    "pathway_col": {"da": "Forløb", "en": "Pathway"},
    "effect_col": {"da": "Håndtag", "en": "Lever"},
    # compare
    "compare_intro": {"da": "Vælg to eller flere scenarier; det første er basis. Alle køres på fælles tilfældige tal.",
                      "en": "Choose two or more scenarios; the first is the baseline. All run on common random numbers."},
    "compare_pick": {"da": "Scenarier (det første er basis)", "en": "Scenarios (the first is the baseline)"},
    "edited_option": {"da": "Fra Scenarie-siden (ændret eller uploadet): {name}",
                      "en": "From the explorer page (edited or uploaded): {name}"},
    "compare_run": {"da": "Sammenlign", "en": "Compare"},
    "trial_outputs": {"da": "Som i et lodtrækningsforsøg (Kaplan-Meier)", "en": "As a randomised trial would report (Kaplan-Meier)"},
    "trial_outputs_help": {
        "da": "Efter lodtrukket arm (intention to treat) fra indgang: andel i arbejde og ikke sygemeldt igen efter 6, "
              "12 og 24 måneder, Kaplan-Meier-median og Cox hazard ratio mod standard, pr. diagnosegruppe.",
        "en": "By randomised arm (intention to treat) from entry: share back at work and not re-sick-listed at 6, 12 "
              "and 24 months, Kaplan-Meier median and Cox hazard ratio against standard, by diagnosis group."},
    "evidence_select": {"da": "Evidensgrundlag", "en": "Body of evidence"},
    "evidence_all": {"da": "alle (side om side)", "en": "all (side by side)"},
    "evidence_none": {"da": "ingen (parametre som i scenariefilerne)", "en": "none (parameters as in the scenario files)"},
    "evidence_help": {
        "da": "Læs svaret under hvert evidensgrundlag: lokal monitorering i København, IBBIS I-forsøgene eller "
              "Herning-forsøget. Hvert af op til 20 accepterede parametersæt køres to gange; intervallet er spændet i det "
              "forventede resultat over sættene, og det bliver ikke smallere af flere gentagelser.",
        "en": "Read the answer under each body of evidence: Copenhagen's local monitoring, the IBBIS I trials or the "
              "Herning trial. Each of up to 20 accepted parameter sets is run twice; the interval is the range of the "
              "expected result over the sets, which more replications do not narrow."},
    "evidence_table": {"da": "Under hvert evidensgrundlag", "en": "Under each body of evidence"},
    "evidence_table_help": {
        "da": "Forskel til basis (parret), gennemsnit (95%-interval over grundlagets parametersæt): i arbejde (procentpoint), uger på sygedagpenge, "
              "nettovirkning på de offentlige budgetter (mio. kr., + = gevinst).",
        "en": "Difference against the baseline (paired), mean (95% interval over the evidence's parameter sets): back at work (percentage points), weeks on "
              "benefit, net public budget effect (DKK m, + = gain)."},
    "evidence_details": {"da": "Detaljer for evidensgrundlag", "en": "Details for evidence base"},
    "effect_assumed_warning": {
        "da": "Virkning antaget, ingen effektdata: intet evidensgrundlag har målt disse scenariers virkning.",
        "en": "Effect assumed, no outcome data: no evidence base measured these scenarios' effects."},
    "effect_assumed_names": {
        "da": "Virkning antaget, ingen effektdata (effect assumed, no outcome data): {names}",
        "en": "Effect assumed, no outcome data: {names}"},
    "calibration_none": {"da": "Ingen (faste parametre)", "en": "None (fixed parameters)"},
    "calibration_sets": {"da": "Kalibreringsusikkerhed", "en": "Calibration uncertainty"},
    "calibration_sets_help": {
        "da": "Gentagelse r bruger det accepterede parametersæt r mod K i alle scenarier, så intervallerne også "
              "viser spændet i det forventede resultat over sættene (ikke kun simulationsstøj). Vælg mindst to "
              "gentagelser pr. sæt.",
        "en": "Replication r uses accepted parameter set r mod K in every scenario, so the intervals also "
              "show the range of the expected result over the sets (not only simulation noise). Choose at least two "
              "replications per set."},
    "intervals_include": {"da": "Intervallerne omfatter", "en": "The intervals include"},
    "calibration_carried": {"da": "Kalibreringsusikkerhed medregnet: {name}",
                            "en": "Calibration uncertainty carried through: {name}"},
    "compare_need_two": {"da": "Vælg mindst to forskellige scenarier.", "en": "Choose at least two different scenarios."},
    "summary_head": {"da": "Kort fortalt", "en": "In plain words"},
    "summary_returns": {
        "da": "Sammenlignet med **{base}** får **{name}** {x} {more} borgere tilbage i arbejde om året "
              "(95%-interval {lo} til {hi}).",
        "en": "Compared with **{base}**, **{name}** returns {x} {more} citizens to work per year "
              "(95% interval {lo} to {hi})."},
    "summary_per_citizen": {
        "da": "**{name}** og **{base}** har forskellige {why}, så kun forskelle pr. borger sammenlignes: andelen "
              "raskmeldt inden for {h} uger ændres med {x} procentpoint ({lo} til {hi}), og tiden på sygedagpenge "
              "med {w} uger pr. borger ({wlo} til {whi}).",
        "en": "**{name}** and **{base}** differ in {why}, so only per-citizen differences are compared: the share back "
              "at work within {h} weeks changes by {x} percentage points ({lo} to {hi}), and time on sickness benefit "
              "by {w} weeks per citizen ({wlo} to {whi})."},
    "differs_arrivals": {"da": "tilgange", "en": "arrivals"},
    "differs_population": {"da": "befolkninger", "en": "population"},
    "differs_horizon": {"da": "tidshorisonter", "en": "horizon"},
    "returns_not_comparable": {"da": "Ikke sammenlignelig: andre borgere eller en anden horisont.",
                               "en": "Not comparable: other citizens or another horizon."},
    "more": {"da": "flere", "en": "more"},
    "fewer": {"da": "færre", "en": "fewer"},
    "summary_recovered": {
        "da": "Andelen raskmeldt inden for {h} uger ændres med {x} procentpoint ({lo} til {hi}), fra {b} til {s}.",
        "en": "The share back at work within {h} weeks changes by {x} percentage points ({lo} to {hi}), from {b} to {s}."},
    "summary_weeks": {
        "da": "Den gennemsnitlige tid på sygedagpenge ændres med {x} uger ({lo} til {hi}).",
        "en": "Mean time on sickness benefit changes by {x} weeks ({lo} to {hi})."},
    "summary_uncertain": {
        "da": "Intervallet indeholder 0: forskellen kan ikke skelnes fra tilfældig variation med {reps} gentagelser.",
        "en": "The interval contains 0: the difference cannot be told apart from chance with {reps} replications."},
    "caveat": {
        "da": "Forbehold: modellen er indstillet efter 60% og 48% raskmeldte (integreret mod kontrol). Tallene er lokale "
              "monitoreringsdata fra Københavns Kommune (IBBIS II), ikke resultatet af forsøget; effekterne i modellen "
              "er antagelser med usikkerhed, som intervallerne kun rummer, når kalibreringsusikkerhed er valgt ovenfor.",
        "en": "Caveat: the model is tuned to 60% and 48% recovered (integrated against control). These are local "
              "monitoring data from the City of Copenhagen (IBBIS II), not the trial's result; the model's effects are "
              "assumptions whose uncertainty the intervals include only when calibration uncertainty is chosen above."},
    "not_paired": {"da": "{names} har andre tilgange eller en anden befolkning end {base}: borgerne er ikke de samme, så "
                         "forskellene blander indsats og målgruppe.",
                   "en": "{names} differ(s) from {base} in arrivals or population: the citizens are not the same, so "
                         "the differences mix the policy with the target group."},
    "differences": {"da": "Forskelle mod basis (parret pr. gentagelse, 95%-interval)",
                    "en": "Differences against the baseline (paired by replication, 95% interval)"},
    "side_by_side": {"da": "Side om side", "en": "Side by side"},
    "scenario_col": {"da": "Scenarie", "en": "Scenario"},
    "difference_col": {"da": "Forskel", "en": "Difference"},
    "overlaid_curve": {"da": "Andel på sygedagpenge, alle borgere", "en": "Share on sickness benefit, all citizens"},
    "overlaid_capacity": {"da": "Borgere på ydelse over tid", "en": "Citizens on benefit over time"},
    "on_benefit_now": {"da": "På sygedagpenge eller jobafklaring", "en": "On sickness benefit or jobafklaring"},
    "compare_results_for": {"da": "{n} scenarier, {reps} gentagelser, seed {seed}, basis {base}.",
                            "en": "{n} scenarios, {reps} replications, seed {seed}, baseline {base}."},
    # investment
    "inv_intro": {"da": "Et investeringsbudget pr. år og dets fordeling omsættes til årsværk og pladser i det integrerede "
                        "forløb; budgeteffekten opgøres år for år mod et basisscenarie på de samme borgere.",
                  "en": "An investment budget per year and its split become staff (FTE) and places in the integrated "
                        "pathway; the budget effect is counted year by year against a baseline on the same citizens."},
    "inv_scenario": {"da": "Scenarie med investeringen", "en": "Scenario with the investment"},
    "inv_baseline": {"da": "Basis (uden investering)", "en": "Baseline (without the investment)"},
    "inv_same": {"da": "Scenarie og basis skal være forskellige.", "en": "Scenario and baseline must differ."},
    "inv_horizon": {"da": "År, der opgøres", "en": "Years counted"},
    "inv_horizon_help": {"da": "Som i SØM: år 1-10 fra scenariets startår.", "en": "As in SØM: years 1-10 from the scenario's start year."},
    "inv_per_year": {"da": "Budget pr. år (mio. kr.)", "en": "Budget per year (DKK m)"},
    "inv_start": {"da": "Første år", "en": "First year"},
    "inv_years": {"da": "Antal år med budget", "en": "Funded years"},
    "inv_target_share": {"da": "Andel til sygemeldte med psykiske lidelser", "en": "Share for sick-listed with mental disorders"},
    "inv_target_help": {"da": "Den del af budgettet, der bruges på målgruppen, som modellen simulerer.",
                        "en": "The part of the budget spent on the target group the model simulates."},
    "inv_split": {"da": "Fordeling af budgettet (%)", "en": "Split of the budget (%)"},
    "inv_line_consultants": {"da": "Lavere sagsstammer (konsulenter)", "en": "Lower caseloads (consultants)"},
    "inv_line_health": {"da": "Sundhedsfagligt personale", "en": "Health staff"},
    "inv_line_treatment": {"da": "Købt behandling", "en": "Purchased treatment"},
    "inv_split_sum": {"da": "Fordelingen skal give 100%, men giver {pct}%.", "en": "The split must add up to 100%, but adds up to {pct}%."},
    "inv_label": {"da": "Investering sat i appen", "en": "Investment set in the app"},
    "inv_buys": {"da": "Det køber investeringen (pr. år)", "en": "What the investment buys (per year)"},
    "inv_col_year": {"da": "År", "en": "Year"},
    "inv_col_dkk": {"da": "Mio. kr. til målgruppen", "en": "DKK m for the target group"},
    "inv_col_cfte": {"da": "Konsulenter (årsværk)", "en": "Consultants (FTE)"},
    "inv_col_caseload": {"da": "Pladser i sagsstammer", "en": "Caseload places"},
    "inv_col_tfte": {"da": "Behandlere (årsværk)", "en": "Therapists (FTE)"},
    "inv_col_slots": {"da": "Behandlingspladser", "en": "Treatment slots"},
    "inv_col_places": {"da": "Borgere i forløbet pr. år", "en": "Citizens in the pathway per year"},
    "inv_col_binding": {"da": "Begrænsende post", "en": "Binding budget line"},
    "inv_run": {"da": "Beregn budgeteffekt", "en": "Compute the budget effect"},
    "inv_results_for": {"da": "{name} mod {base}: {reps} gentagelser, seed {seed}, {years} år. Nettoeffekt = basis' "
                              "udgift minus scenariets udgift.",
                        "en": "{name} against {base}: {reps} replications, seed {seed}, {years} years. Net effect = "
                              "baseline cost minus scenario cost."},
    "inv_net_total_years": {"da": "Nettoeffekt år 1-{n}", "en": "Net effect years 1-{n}"},
    "inv_net_help": {"da": "Positiv: det offentlige sparer (kommune, stat og region samlet).",
                     "en": "Positive: the public purse gains (municipality, state and region together)."},
    "inv_payback": {"da": "Tilbagebetalt", "en": "Paid back"},
    "inv_year_n": {"da": "år {n}", "en": "year {n}"},
    "inv_not_within": {"da": "ikke inden for {n} år", "en": "not within {n} years"},
    "inv_extra_returns": {"da": "Ekstra tilbage i arbejde", "en": "Extra citizens back at work"},
    "inv_cost_per_return": {"da": "Nettoudgift pr. ekstra i arbejde", "en": "Net cost per extra return to work"},
    "inv_cost_per_return_saving": {
        "da": "Negativt tal = en besparelse: efter sparede ydelser (og skat, hvis den er med) tjener det offentlige "
              "{amount} kr. pr. ekstra borger i arbejde; indsatsen koster ikke netto, den sparer.",
        "en": "A negative figure is a saving: after benefit savings (and tax, if included) the public purse gains "
              "{amount} DKK per extra citizen back at work; the effort does not cost, it saves."},
    "inv_cost_per_return_cost": {
        "da": "Positivt tal = en nettoudgift: efter sparede ydelser koster det offentlige {amount} kr. pr. ekstra "
              "borger i arbejde.",
        "en": "A positive figure is a net cost: after benefit savings the public purse pays {amount} DKK per extra "
              "citizen back at work."},
    "download_budget_xlsx": {"da": "Budget som Excel (tal i celler)", "en": "Budget as Excel (numbers in cells)"},
    "inv_chart_title": {"da": "Nettoeffekt pr. år og akkumuleret (95%-interval)", "en": "Net effect by year and cumulative (95% interval)"},
    "inv_by_year": {"da": "Budgeteffekt år for år (gennemsnit og 95%-interval)", "en": "Budget effect by year (mean and 95% interval)"},
    "inv_by_year_numbers": {"da": "Tallene bag tabellen", "en": "The numbers behind the table"},
    "inv_quantity": {"da": "Størrelse", "en": "Quantity"},
    # the budget's year quantities (presentation/budget_quantities.py): one name per line everywhere
    "yq_plan_cost": {"da": "Planens udgift", "en": "Cost of the plan"},
    "yq_cost_scenario": {"da": "Offentlig udgift, scenarie", "en": "Public cost, scenario"},
    "yq_cost_baseline": {"da": "Offentlig udgift, basis", "en": "Public cost, baseline"},
    "yq_extra_effort_cost": {"da": "Ekstra udgift til indsatsen (service: personale, behandling, investering)",
                             "en": "Extra cost of the effort (service: staff, treatment, investment)"},
    "yq_benefit_savings": {"da": "Sparede sygedagpenge, ressourceforløbsydelse og kontanthjælp",
                           "en": "Savings on sickness, resource-course and cash benefit"},
    "yq_onward_savings": {"da": "Sparede ydelser i de videre forløb", "en": "Savings on onward-state benefits"},
    "yq_tax_gain": {"da": "Ekstra skatteindtægt", "en": "Extra tax revenue"},
    "yq_net_service": {"da": "Nettoeffekt, serviceudgifter (under servicerammen)",
                       "en": "Net effect, service spending (under the municipal spending ceiling)"},
    "yq_net_transfer": {"da": "Nettoeffekt, overførsler (uden for servicerammen)",
                        "en": "Net effect, transfers (outside the ceiling)"},
    "yq_net_tax": {"da": "Nettoeffekt, skatteindtægter", "en": "Net effect, tax revenue"},
    "yq_net.municipality": {"da": "Nettoeffekt, kommune", "en": "Net effect, municipality"},
    "yq_net.state": {"da": "Nettoeffekt, stat", "en": "Net effect, state"},
    "yq_net.region": {"da": "Nettoeffekt, region", "en": "Net effect, region"},
    "yq_net.total": {"da": "Nettoeffekt, det offentlige i alt", "en": "Net effect, public total"},
    "yq_net.municipality_after_block_grant": {
        "da": "Nettoeffekt, kommune efter bloktilskudsregulering (tilnærmet)",
        "en": "Net effect, municipality after block-grant adjustment (approximation)"},
    "yq_cumulative_net": {"da": "Akkumuleret nettoeffekt", "en": "Cumulative net effect"},
    "yq_pv.total": {"da": "Nutidsværdi af nettoeffekten, det offentlige i alt",
                    "en": "Present value of the net effect, public total"},
    "yq_cumulative_pv": {"da": "Akkumuleret nutidsværdi af nettoeffekten", "en": "Cumulative present value of the net effect"},
    "yq_extra_returns": {"da": "Ekstra tilbage i arbejde", "en": "Extra returns to work"},
    "yq_cumulative_extra_returns": {"da": "Ekstra tilbage i arbejde, akkumuleret", "en": "Cumulative extra returns to work"},
    "yq_employer_savings": {"da": "Arbejdsgivers besparelse (ikke offentlig; til information)",
                            "en": "Employer savings (not public; info)"},
    "inv_net_total": {"da": "Nettoeffekt, i alt", "en": "Net effect, total"},
    "inv_cumulative": {"da": "Akkumuleret nettoeffekt", "en": "Cumulative net effect"},
    "inv_builtin_share": {"da": "Scenariets indbyggede investering regnede {share} af {total} mio. kr. pr. år til målgruppen "
                                "({per_year} mio. kr.), fordi: {reason}. Her skrives budgettet for målgruppen.",
                          "en": "The scenario's built-in investment counted {share} of DKK {total} m a year for the modelled "
                                "group (DKK {per_year} m) because: {reason}. Here the budget is typed for the modelled group."},
    "inv_plan_on": {"da": "Investeringsplan", "en": "Investment plan"},
    "inv_plan_on_help": {"da": "Slået fra: scenariet køres uden investering (ingen investeringsudgift).",
                         "en": "Off: the scenario runs without an investment (no investment cost)."},
    "inv_no_plan": {"da": "Ingen investeringsplan: scenariet køres uden investering.",
                    "en": "No investment plan: the scenario runs without an investment."},
    "inv_start_help": {"da": "Simuleret år 1 er planens første år (standard: indeværende år).",
                       "en": "Simulated year 1 is the plan's first year (default: the current year)."},
    "inv_target_reason": {"da": "Hvorfor kun en del af budgettet går til målgruppen",
                          "en": "Why only part of the budget reaches the modelled group"},
    "inv_target_reason_help": {"da": "Krævet når andelen er under 100%; vises ved resultaterne.",
                               "en": "Required when the share is below 100%; shown with the results."},
    "inv_reason_needed": {"da": "Andelen til målgruppen er {share}: skriv hvorfor (ellers regnes hele budgettet).",
                          "en": "The share for the modelled group is {share}: say why (otherwise the whole budget counts)."},
    "inv_col_csim": {"da": "Konsulenter simuleret", "en": "Consultants simulated"},
    "inv_col_tsim": {"da": "Behandlere simuleret", "en": "Therapists simulated"},
    "inv_q_returns": {"da": "Tilbage i arbejde", "en": "Returns to work"},
    "inv_q_on_benefit": {"da": "Borgere på ydelse (gns. i året)", "en": "Citizens on benefit (mean of the year)"},
    "inv_q_still_on_benefit": {"da": "Andel af årets nye forløb stadig på ydelse efter 52 uger",
                               "en": "Share of the year's new spells still on benefit after 52 weeks"},
    "inv_q_consultant_wait": {"da": "Ventetid på konsulent (uger)", "en": "Wait for a consultant (weeks)"},
    "inv_q_treatment_wait": {"da": "Ventetid på behandling (uger)", "en": "Wait for treatment (weeks)"},
    "inv_q_funded_pathway_entries": {"da": "Borgere i det finansierede forløb", "en": "Citizens entering the funded pathway"},
    "inv_q_plan_cost": {"da": "Planens udgift (mio. kr.)", "en": "Cost of the plan (DKK m)"},
    "inv_plan_word": {"da": "plan", "en": "plan"},
    "inv_diff_word": {"da": "forskel fra basis", "en": "difference from baseline"},
    "inv_outcomes_by_year": {"da": "Planens resultater år for år (gennemsnit og 95%-interval)",
                             "en": "Outcomes of the plan by year (mean and 95% interval)"},
    "inv_outcomes_help": {"da": "År med * er finansierede år. Forskellen er parret med basis (samme borgere).",
                          "en": "Years marked * are funded. The difference is paired with the baseline (same citizens)."},
    "inv_workbook": {"da": "Excel-projektmappe", "en": "Excel workbook"},
    "inv_load_plan": {"da": "Indlæs en gemt plan (YAML)", "en": "Load a saved plan (YAML)"},
    "inv_load_plan_help": {"da": "En fil gemt med 'Gem planen'.", "en": "A file saved with 'Save the plan'."},
    "invalid_plan": {"da": "Planen kan ikke bruges:", "en": "The plan cannot be used:"},
    "inv_save_plan": {"da": "Gem planen (YAML)", "en": "Save the plan (YAML)"},
    "inv_to_compare": {"da": "Sæt planen i Sammenlign", "en": "Put the plan in Compare"},
    "inv_to_compare_help": {"da": "Planen og dens basis bliver valg på siden Sammenlign.",
                            "en": "The plan and its baseline become choices on the Compare page."},
    "inv_sent": {"da": "'{name}' og basis er valgt på siden Sammenlign.", "en": "'{name}' and its baseline are picked on the Compare page."},
    # optimiser
    "opt_intro": {"da": "Optimeringen afprøver fordelinger af budgettet (og sagsstammenormen) på de samme borgere og finder "
                        "dem med flest ekstra i arbejde for den laveste nutidsværdi af nettoudgiften.",
                  "en": "The optimiser tries splits of the budget (and the caseload norm) on the same citizens and finds "
                        "those with the most extra returns to work for the lowest net present cost."},
    "opt_baseline": {"da": "Basis (uden investering)", "en": "Baseline (without an investment)"},
    "opt_policy": {"da": "Indsats med investeringsplan", "en": "Policy with an investment plan"},
    "opt_years": {"da": "År der tælles (tilbagebetaling inden for)", "en": "Years counted (payback within)"},
    "opt_trials": {"da": "Forsøg ud over grovgitteret", "en": "Trials beyond the coarse grid"},
    "opt_rate": {"da": "Diskonteringsrente pr. år", "en": "Discount rate per year"},
    "opt_rate_help": {"da": "Standard 3,5%: Finansministeriets samfundsøkonomiske diskonteringsrente (2021).",
                      "en": "Default 3.5%: the Danish Ministry of Finance's social discount rate (2021)."},
    "opt_run": {"da": "Find den bedste fordeling", "en": "Find the best split"},
    "opt_budget_zero": {"da": "Budgettet skal være over 0 mio. kr. pr. år.", "en": "The budget must be above DKK 0 m a year."},
    "opt_chart": {"da": "Ekstra i arbejde mod nutidsværdi af nettoudgift", "en": "Extra returns against net present cost"},
    "opt_npc": {"da": "Nutidsværdi af nettoudgift (mio. kr.)", "en": "Net present cost (DKK m)"},
    "opt_extra": {"da": "Ekstra tilbage i arbejde", "en": "Extra returns to work"},
    "opt_front": {"da": "Pareto-fronten", "en": "Pareto front"},
    "opt_other": {"da": "Andre afprøvede planer", "en": "Other plans tried"},
    "opt_all": {"da": "Alle afprøvede planer", "en": "All plans tried"},
    # calibration
    "cal_intro": {"da": "Hvor godt rammer modellen målene (de lokale tal), og hvilke parameterværdier er forenelige med "
                        "dem? Kalibreringer laves med 'rtwsim calibrate' og vises her.",
                  "en": "How well does the model hit its targets (the local figures), and which parameter values agree "
                        "with them? Calibrations are made with 'rtwsim calibrate' and shown here."},
    "cal_none": {"da": "Der er endnu ingen gemte kalibreringer (calibration/calibrated/). Kør 'rtwsim calibrate'.",
                 "en": "No stored calibrations yet (calibration/calibrated/). Run 'rtwsim calibrate'."},
    "cal_record": {"da": "Kalibrering", "en": "Calibration"},
    "cal_record_help": {"da": "_h26 / _h78: samme mål opgjort ved 26 / 78 uger i stedet for 52 - viser, hvor meget "
                              "tilpasningen afhænger af horisonten.",
                        "en": "_h26 / _h78: the same targets counted at 26 / 78 weeks instead of 52 - shows how much the "
                              "fit depends on the horizon."},
    "cal_error": {"da": "Kalibreringen {name} kunne ikke læses: {err}", "en": "The calibration {name} could not be read: {err}"},
    "cal_status": {"da": "Status **{status}**: scenarie {scenario}, mål {targets} (horisont {horizons} uger), {trials} "
                         "forsøg x {reps} gentagelser, {accepted} accepterede parametersæt.",
                   "en": "Status **{status}**: scenario {scenario}, targets {targets} (horizon {horizons} weeks), "
                         "{trials} trials x {reps} replications, {accepted} accepted parameter sets."},
    "cal_fit": {"da": "Mål mod simulerede værdier", "en": "Targets against simulated values"},
    "cal_ranges": {"da": "Accepterede parameterintervaller", "en": "Accepted parameter ranges"},
    "cal_pairs": {"da": "Accepterede sæt parvis (afvejninger ses som diagonale bånd)",
                  "en": "Accepted sets pairwise (trade-offs show as diagonal bands)"},
    "cal_no_ranges": {"da": "Ingen accepterede parametersæt i denne kalibrering.",
                      "en": "No accepted parameter sets in this calibration."},
    # module pages
    "not_available": {"da": "Ikke tilgængelig endnu", "en": "Not available yet"},
    "not_available_body": {
        "da": "Denne side bygger på modulet `{module}`, som endnu ikke findes i denne version af rtwsim. "
              "Siden bliver aktiv, så snart modulet er på plads.",
        "en": "This page builds on the module `{module}`, which is not part of this version of rtwsim yet. "
              "The page becomes active as soon as the module is in place."},
    "module_error": {"da": "Modulet `{module}` kunne ikke indlæses: {err}", "en": "The module `{module}` could not be loaded: {err}"},
    # sensitivity
    "sens_intro": {
        "da": "Hvilke usikre antagelser flytter resultatet? Indlæs et gemt studie (mappe fra 'rtwsim sensitivity') "
              "eller kør et lille Morris-studie her.",
        "en": "Which uncertain assumptions move the result? Load a stored study (a folder from 'rtwsim sensitivity') "
              "or run a small Morris study here."},
    "sens_mode": {"da": "Kilde", "en": "Source"},
    "sens_load": {"da": "Indlæs gemt studie", "en": "Load a stored study"},
    "sens_new": {"da": "Kør et lille studie", "en": "Run a small study"},
    "sens_dir": {"da": "Mappe med studiet", "en": "Study folder"},
    "sens_dir_help": {"da": "En mappe skrevet af 'rtwsim sensitivity FIL --out MAPPE'; skriv en sti, hvis den ikke står på listen.",
                      "en": "A folder written by 'rtwsim sensitivity FILE --out DIR'; type a path if it is not listed."},
    "sens_samples": {"da": "Basisstikprøver (N)", "en": "Base samples (N)"},
    "sens_running": {"da": "Kører {n} modelkørsler ...", "en": "Running {n} model runs ..."},
    "sens_nothing": {"da": "Åbn et gemt studie eller kør et lille studie.", "en": "Open a stored study or run a small one."},
    "sens_open": {"da": "Åbn studie", "en": "Open study"},
    "sens_problem": {"da": "Problemfil", "en": "Problem file"},
    "sens_trajectories": {"da": "Morris-baner (trajectories)", "en": "Morris trajectories"},
    "sens_reps": {"da": "Gentagelser pr. kørsel", "en": "Replications per run"},
    "sens_weeks": {"da": "Simulerede uger pr. kørsel", "en": "Simulated weeks per run"},
    "sens_start": {"da": "Start studie", "en": "Start study"},
    "sens_runs": {"da": "{n} kørsler af modellen", "en": "{n} model runs"},
    "sens_output": {"da": "Resultatmål", "en": "Output"},
    "sens_indices": {"da": "Følsomhedsindeks", "en": "Sensitivity indices"},
    "sens_incomplete": {"da": "Studiet er ufuldstændigt ({ok} af {n} kørsler); fortsæt det med 'rtwsim sensitivity ... --resume'.",
                        "en": "The study is incomplete ({ok} of {n} runs); continue it with 'rtwsim sensitivity ... --resume'."},
    "sens_outside": {"da": "appen læser og skriver kun studier under {where}", "en": "the app reads and writes studies only under {where}"},
    "sens_error": {"da": "Studiet kunne ikke bruges: {err}", "en": "The study could not be used: {err}"},
    "sens_skipped": {"da": "Mål uden indeks: {items}", "en": "Outputs without indices: {items}"},
    "sens_summary": {"da": "Studie {name}: metode {method}, {ok} af {n} kørsler gennemført.",
                     "en": "Study {name}: method {method}, {ok} of {n} runs complete."},
    # figures and pages (presentation.figures, presentation.html)
    "opt_w_caseload_limit": {"da": "sagsstamme", "en": "caseload limit"},
    "opt_w_who5_threshold": {"da": "WHO-5-grænse", "en": "WHO-5 threshold"},
    "opt_w_plan": {
        "da": "konsulenter {c}% / sundhedspersonale {h}% / behandling {t}%{extra}: {returns} ekstra i arbejde, "
              "nutidsværdi af nettoudgiften {cost}, tilbagebetalt inden for {years} år med sandsynlighed {p}",
        "en": "consultants {c}% / health staff {h}% / treatment {t}%{extra}: {returns} extra returns, net present "
              "cost {cost}, pays back within {years} years with probability {p}"},
    "opt_w_sets": {"da": "over {n} accepterede parametersæt", "en": "over {n} accepted parameter sets"},
    "opt_w_one_set": {"da": "ét parametersæt (sandsynligheden for tilbagebetaling over gentagelser; vælg "
                            "kalibreringsusikkerhed for at få den med)",
                      "en": "one parameter set (payback probability over replications; choose calibration "
                            "uncertainty to include it)"},
    "opt_w_head": {
        "da": "Optimeret: {budget} om året i {years} år fra {first} ({policy} mod {baseline}), {counted} år opgjort, "
              "{reps} gentagelser pr. sæt, seed {seed}, {unc}; diskonteringsrente {rate}; {n} planer afprøvet på {s} s.",
        "en": "Optimised {budget} a year for {years} years from {first} ({policy} against {baseline}), {counted} years "
              "counted, {reps} replications per set, seed {seed}, {unc}; discount rate {rate}; {n} plans evaluated in "
              "{s} s."},
    "opt_w_best": {"da": "Bedst i gennemsnit (højeste forventede nutidsværdi): {plan}.",
                   "en": "Best on average (highest expected net present value): {plan}."},
    "opt_w_robust": {"da": "Robust (mindste værste fortrydelse på tværs af parametersæt, {regret}): {plan}.",
                     "en": "Robust (smallest worst-case regret across parameter sets, {regret}): {plan}."},
    "opt_w_same": {"da": "Det robuste valg er også det bedste i gennemsnit.",
                   "en": "The robust choice is the best-on-average choice."},
    "opt_w_differ": {"da": "De adskiller sig med {returns} ekstra i arbejde og {cost} i nutidsværdi af nettoudgiften "
                           "(robust minus bedst i gennemsnit).",
                     "en": "They differ by {returns} extra returns and {cost} net present cost (robust minus best on "
                           "average)."},
    "unc_sim_only": {"da": "kun simulationsstøj (parrede gentagelser på fælles tilfældige tal)",
                     "en": "simulation noise only (paired replications on common random numbers)"},
    "unc_calibration": {
        "da": "simulationsstøj og kalibreringsusikkerhed: spændet i det forventede resultat over {k} af {n} accepterede "
              "parametersæt fra {name}, fordelt på {reps} parrede gentagelser (et interval der ikke bliver smallere af "
              "flere gentagelser; usikkerhed i evidensen ud over kalibreringen er ikke med)",
        "en": "simulation noise and calibration uncertainty: the range of the expected result over {k} of {n} accepted "
              "parameter sets of {name}, cycled over {reps} paired replications (an interval that more replications do "
              "not narrow; evidence uncertainty beyond the calibration is not included)"},
    "sens_all_indices": {"da": "Alle indeks", "en": "All indices"},
    "effect_word": {"da": "Effekt", "en": "Effect"},
    "cal_status_fitted": {"da": "tilpasset", "en": "fitted"},
    "cal_status_unreachable": {"da": "ikke opnået", "en": "unreachable"},
    "calw_underdetermined": {
        "da": "{n} frie parametre, men {m} punktmål: målene kan ikke bestemme hver parameter; læs hver parameters "
              "accepterede interval, ikke dens punktværdi",
        "en": "{n} free parameters but {m} point targets: the targets cannot identify every parameter; read each "
              "parameter's accepted range, not its point value"},
    "calw_few_sets": {
        "da": "kun {n} accepterede sæt: for få til at bedømme identificerbarhed eller kalibreringsusikkerhed; kør flere "
              "forsøg",
        "en": "only {n} accepted sets: too few to judge identifiability or calibration uncertainty; run more trials"},
    "calw_edge_lower": {
        "da": "{p}: de accepterede værdier når a priori-intervallets nedre grænse ({bound}); tilpasningen begrænses af "
              "a priori-intervallet, så det accepterede interval siger også noget om det",
        "en": "{p}: accepted values reach the prior's lower bound ({bound}); the fit is limited by the prior there, so "
              "its accepted range is a statement about the prior too"},
    "calw_edge_upper": {
        "da": "{p}: de accepterede værdier når a priori-intervallets øvre grænse ({bound}); tilpasningen begrænses af "
              "a priori-intervallet, så det accepterede interval siger også noget om det",
        "en": "{p}: accepted values reach the prior's upper bound ({bound}); the fit is limited by the prior there, so "
              "its accepted range is a statement about the prior too"},
    "calw_span": {
        "da": "{p}: de accepterede værdier spænder over {pct}% af a priori-intervallet {range}; målene begrænser den "
              "næppe",
        "en": "{p}: accepted values span {pct}% of the prior range {range}; the targets barely constrain it"},
    "calw_trade_off": {
        "da": "{p} og {q} opvejer hinanden (stiger den ene, falder den anden): rangkorrelation {r} over de accepterede "
              "sæt; de kan ikke bestemmes hver for sig ud fra disse mål",
        "en": "{p} and {q} trade off (a rise in one is offset by a fall in the other): rank correlation {r} over the "
              "accepted sets; they are not separately identifiable from these targets"},
    "calw_together": {
        "da": "{p} og {q} følges ad (kun deres kombination er bestemt): rangkorrelation {r} over de accepterede sæt; "
              "de kan ikke bestemmes hver for sig ud fra disse mål",
        "en": "{p} and {q} move together (only their combination is pinned down): rank correlation {r} over the "
              "accepted sets; they are not separately identifiable from these targets"},
    "mio_unit": {"da": "mio. kr.", "en": "DKK m"},
    "diag_all": {"da": "alle", "en": "all"},
    "diag_depression_anxiety": {"da": "depression/angst", "en": "depression/anxiety"},
    "diag_stress_related": {"da": "stressrelaterede lidelser", "en": "stress-related disorders"},
    "trial_col_diagnosis_group": {"da": "Diagnosegruppe", "en": "Diagnosis group"},
    "trial_col_arm": {"da": "Arm", "en": "Arm"},
    "trial_col_in_work_m6": {"da": "I arbejde efter 6 mdr.", "en": "In work at 6 months"},
    "trial_col_in_work_m12": {"da": "I arbejde efter 12 mdr.", "en": "In work at 12 months"},
    "trial_col_in_work_m24": {"da": "I arbejde efter 24 mdr.", "en": "In work at 24 months"},
    "trial_col_median_weeks": {"da": "Median uger (Kaplan-Meier)", "en": "Median weeks (Kaplan-Meier)"},
    "trial_col_hr_vs_standard": {"da": "Hazard ratio mod standard (Cox)", "en": "Hazard ratio vs standard (Cox)"},
    "effect_assumed_short": {"da": "virkning antaget, ingen effektdata", "en": "effect assumed, no outcome data"},
    "ev_col_evidence": {"da": "Evidensgrundlag", "en": "Evidence"},
    "ev_col_pair": {"da": "Scenarie mod basis", "en": "Scenario vs baseline"},
    "ev_pair": {"da": "{name} mod {base}", "en": "{name} vs {base}"},
    "ev_col_sets": {"da": "Parametersæt × kørsler", "en": "Sets × runs"},
    "ev_col_work": {"da": "I arbejde, procentpoint", "en": "Back at work, pp"},
    "ev_col_weeks": {"da": "Uger på sygedagpenge", "en": "Benefit weeks"},
    "ev_col_hr_da": {"da": "Hazard ratio for tilbagevenden, depression/angst",
                     "en": "Hazard ratio of return, depression/anxiety"},
    "ev_col_hr_stress": {"da": "Hazard ratio for tilbagevenden, stressrelaterede",
                         "en": "Hazard ratio of return, stress-related"},
    "ev_col_budget": {"da": "Nettobudget, mio. kr.", "en": "Net budget, DKK m"},
    "warnings": {"da": "Advarsler", "en": "Warnings"},
    "report_footer": {"da": "rtwsim, {when}", "en": "rtwsim, {when}"},
    "and": {"da": "og", "en": "and"},
    "yes": {"da": "ja", "en": "yes"},
    "no": {"da": "NEJ", "en": "NO"},
    "rep_survival_title": {"da": "Andel stadig på ydelse efter uger siden start i jobcentret (Kaplan-Meier, 95%-bånd)",
                           "en": "Share still on benefit by weeks since entry to the jobcentre (Kaplan-Meier, 95% band)"},
    "rep_capacity_title": {"da": "Ventelister og sagsstammer over tid (gennemsnit af gentagelser, 95%-bånd)",
                           "en": "Queues and caseloads over time (mean of replications, 95% band)"},
    "rep_net_per_year": {"da": "Nettoeffekt pr. år (mio. kr.)", "en": "Net effect per year (DKK m)"},
    "rep_net_cumulative": {"da": "Akkumuleret nettoeffekt (mio. kr.)", "en": "Cumulative net effect (DKK m)"},
    "rep_budget_title": {"da": "Offentlige budgetter mod basis: basis' udgift minus scenariets (positiv = det offentlige "
                               "vinder), 95%-bånd",
                         "en": "Public budget against the baseline: baseline cost minus scenario cost (positive = the "
                               "public purse gains), 95% band"},
    "rep_km_title": {"da": "Endnu ikke tilbage i arbejde efter uger siden start, pr. lodtrukket arm (Kaplan-Meier, "
                           "95%-bånd, {weeks} ugers opfølgning)",
                     "en": "Not yet back at work by weeks since entry, by randomised arm (Kaplan-Meier, 95% band, "
                           "{weeks}-week follow-up)"},
    "rep_km_axis": {"da": "Andel endnu ikke tilbage i arbejde", "en": "Share not yet back at work"},
    "sens_morris_title": {"da": "Morris-screening: {output}", "en": "Morris screening: {output}"},
    "sens_mu_star": {"da": "μ* (gns. |elementær effekt|)", "en": "μ* (mean |elementary effect|)"},
    "sens_sigma": {"da": "σ (ikke-linearitet / samspil)", "en": "σ (non-linearity / interactions)"},
    "sens_s1": {"da": "første ordens S1", "en": "first order S1"},
    "sens_st": {"da": "total ST", "en": "total ST"},
    "sens_sobol_title": {"da": "Sobol-indeks med konfidensintervaller: {output}",
                         "en": "Sobol indices with confidence intervals: {output}"},
    "sens_parameter": {"da": "Parameter", "en": "Parameter"},
    "sens_variance_share": {"da": "Andel af variansen i resultatet", "en": "Share of output variance"},
    "sens_end_low": {"da": "parameter i lav ende", "en": "parameter at low end"},
    "sens_end_high": {"da": "parameter i høj ende", "en": "parameter at high end"},
    "sens_tornado_title": {"da": "Én ad gangen: {output} (basis {base})", "en": "One-at-a-time ranges: {output} (base {base})"},
    "cal_observed": {"da": "observeret", "en": "observed"},
    "cal_observed_range": {"da": "observeret (målinterval)", "en": "observed (target range)"},
    "cal_rejected": {"da": "forkastede kandidater", "en": "rejected candidates"},
    "cal_accepted": {"da": "accepterede sæt", "en": "accepted sets"},
    "cal_point": {"da": "punktestimat", "en": "point estimate"},
    "cal_point_ci": {"da": "simuleret ved punktestimatet (95%-interval)", "en": "simulated at point estimate (95% CI)"},
    "cal_lower_bound": {"da": "nedre grænse", "en": "lower bound"},
    "cal_upper_bound": {"da": "øvre grænse", "en": "upper bound"},
    "cal_within": {"da": "inden for målintervallet", "en": "within the target range"},
    "cal_outside": {"da": "UDEN FOR målintervallet", "en": "OUTSIDE the target range"},
    "cal_target_title": {"da": "{target}: {output} ved {weeks} uger - {status}",
                         "en": "{target}: {output} at {weeks} weeks - {status}"},
    "cal_ranges_title": {"da": "Accepterede parameterværdier i deres a priori-interval (0 = nedre, 1 = øvre)",
                         "en": "Accepted parameter values within their prior ranges (0 = prior low, 1 = prior high)"},
    "cal_prior_position": {"da": "Placering i a priori-intervallet", "en": "Position in the prior range"},
    "cal_col_target": {"da": "Mål", "en": "Target"},
    "cal_col_horizon": {"da": "Horisont (uger)", "en": "Horizon (weeks)"},
    "cal_col_observed": {"da": "Observeret (interval)", "en": "Observed (range)"},
    "cal_not_significant": {"da": "ingen signifikant forskel", "en": "not significant"},
    "cal_col_simulated": {"da": "Simuleret (95%-interval)", "en": "Simulated (95% CI)"},
    "cal_col_within": {"da": "Inden for", "en": "Within"},
    "cal_col_parameter": {"da": "Parameter", "en": "Parameter"},
    "cal_col_prior": {"da": "A priori", "en": "Prior"},
    "cal_col_accepted": {"da": "Accepteret", "en": "Accepted"},
    "cal_col_median": {"da": "Median", "en": "Median"},
    "cal_col_span": {"da": "Andel af a priori", "en": "Share of prior"},
}

# Danish labels for the outputs and groups the model reports (model.SPELL_METRICS / WEEKLY_METRICS).
METRIC_LABELS: dict[str, dict[str, str]] = {
    "n_spells": {"da": "Forløb i opgørelsen", "en": "Spells counted"},
    "recovered_share": {"da": "Andel raskmeldt inden for horisonten", "en": "Share back at work within the horizon"},
    "jobafklaring_share": {"da": "Andel overgået til jobafklaring", "en": "Share transferred to jobafklaring"},
    "other_exit_share": {"da": "Andel ophørt af andre grunde", "en": "Share who left for other reasons"},
    "mean_benefit_weeks": {"da": "Gns. uger på sygedagpenge", "en": "Mean weeks on sickness benefit"},
    "median_benefit_weeks": {"da": "Median uger på sygedagpenge", "en": "Median weeks on sickness benefit"},
    "still_on_benefit_13w": {"da": "Stadig på sygedagpenge efter 13 uger", "en": "Still on sickness benefit at 13 weeks"},
    "still_on_benefit_26w": {"da": "Stadig på sygedagpenge efter 26 uger", "en": "Still on sickness benefit at 26 weeks"},
    "still_on_benefit_39w": {"da": "Stadig på sygedagpenge efter 39 uger", "en": "Still on sickness benefit at 39 weeks"},
    "still_on_benefit_52w": {"da": "Stadig på sygedagpenge efter 52 uger", "en": "Still on sickness benefit at 52 weeks"},
    "treatment_share": {"da": "Andel, der startede behandling", "en": "Share who started treatment"},
    "treatment_wait_weeks": {"da": "Ventetid på behandling (uger)", "en": "Wait for treatment (weeks)"},
    "consultant_wait_weeks": {"da": "Ventetid på en konsulent (uger)", "en": "Wait for a consultant (weeks)"},
    "contacts_per_spell": {"da": "Opfølgningssamtaler pr. forløb", "en": "Follow-up contacts per spell"},
    "meetings_per_spell": {"da": "Trepartssamtaler pr. forløb", "en": "Tripartite meetings per spell"},
    "sessions_per_spell": {"da": "Behandlingssessioner pr. forløb", "en": "Treatment sessions per spell"},
    "relapse_share": {"da": "Andel sygemeldt igen inden for 52 uger", "en": "Share re-sick-listed within 52 weeks"},
    "caseload_mean": {"da": "Gns. sagsstamme pr. konsulent", "en": "Mean caseload per consultant"},
    "caseload_max": {"da": "Højeste sagsstamme", "en": "Highest caseload"},
    "consultant_queue": {"da": "Venter på konsulent (gns.)", "en": "Waiting for a consultant (mean)"},
    "stretch": {"da": "Strækfaktor for opfølgning", "en": "Follow-up stretch factor"},
    "hours_utilisation": {"da": "Udnyttelse af konsulenttimer", "en": "Consultant hours in use"},
    "treatment_queue": {"da": "Venteliste til behandling (gns.)", "en": "Waiting list for treatment (mean)"},
    "therapist_utilisation": {"da": "Udnyttelse af behandlingspladser", "en": "Treatment slots in use"},
    "on_benefit": {"da": "Borgere på ydelse (gns.)", "en": "Citizens on benefit (mean)"},
    "returns_per_year": {"da": "Tilbage i arbejde pr. år", "en": "Returns to work per year"},
}
GROUP_LABELS: dict[str, dict[str, str]] = {
    "all": {"da": "alle", "en": "all"},
    "standard": {"da": "standardforløb", "en": "standard"},
    "uncoordinated": {"da": "parallelt, ukoordineret", "en": "parallel, uncoordinated"},
    "integrated": {"da": "integreret", "en": "integrated"},
}
EFFECT_LABELS: dict[str, dict[str, str]] = {
    "wellbeing": {"da": "Trivsel (WHO-5)", "en": "Wellbeing (WHO-5)"},
    "treatment_progress": {"da": "Behandlingsforløb", "en": "Treatment progress"},
    "recent_contact": {"da": "Nylig konsulentkontakt", "en": "Recent consultant contact"},
    "job_goal": {"da": "Jobmål sat", "en": "Job goal set"},
    "tripartite_meeting": {"da": "Trepartssamtaler", "en": "Tripartite meetings"},
    "employed": {"da": "Har en arbejdsplads", "en": "Has a workplace"},
    "category1": {"da": "Kategori 1 (tilbage inden 8 uger)", "en": "Category 1 (back within 8 weeks)"},
    "coordination": {"da": "Koordinering i øvrigt", "en": "Other coordination"},
}

# Human names for the identifiers of consultant pools, treatment providers and population groups in
# the shipped scenarios; an identifier not listed is shown with its underscores as spaces.
NAME_LABELS: dict[str, dict[str, str]] = {
    "standard": {"da": "standardforløb", "en": "standard pathway"},
    "integrated": {"da": "integreret forløb", "en": "integrated pathway"},
    "uncoordinated": {"da": "parallelt, ukoordineret", "en": "parallel, uncoordinated"},
    "ogc": {"da": "OGC-sagsbehandlere", "en": "OGC caseworkers"},
    "ips": {"da": "IPS-konsulenter", "en": "IPS consultants"},
    "tit": {"da": "Team Tidlig Indsats", "en": "Team Tidlig Indsats (early-effort team)"},
    "regional_psychiatry": {"da": "Regionspsykiatrien", "en": "Regional psychiatry"},
    "cms_group_courses": {"da": "CMS-gruppeforløb", "en": "CMS group courses"},
    "occupational_psychiatry_centre": {"da": "Arbejdspsykiatrisk Center", "en": "Occupational Psychiatry Centre"},
    "external_psychologist": {"da": "Ekstern psykolog", "en": "External psychologist"},
    "kolding_course": {"da": "Koldings gruppeforløb", "en": "Kolding group course"},
    "stress_clinic": {"da": "Stressklinik", "en": "Stress clinic"},
    "jobcentre_health": {"da": "Sundhedsfagligt personale i jobcentret", "en": "Health staff in the jobcentre"},
    "municipal_rehab": {"da": "Kommunal rehabilitering", "en": "Municipal rehabilitation"},
    "job_og_sundhed": {"da": "Job & Sundhed (egen sundhedsafdeling)", "en": "Job & Sundhed (in-house health department)"},
    "tit_health": {"da": "Sundhedspersonale i Team Tidlig Indsats", "en": "Health staff of Team Tidlig Indsats"},
    "health_outside_jobcentre": {"da": "Behandling uden for jobcentret", "en": "Treatment outside the jobcentre"},
    "rehab_unit": {"da": "Rehabiliteringsenhed", "en": "Rehabilitation unit"},
    "health_centre": {"da": "Sundhedscenter", "en": "Health centre"},
    "activity_ready": {"da": "Aktivitetsparate kontanthjælpsmodtagere", "en": "Activity-ready cash-benefit recipients"},
    "job_ready": {"da": "Jobparate kontanthjælpsmodtagere", "en": "Job-ready cash-benefit recipients"},
    "ressourceforloeb": {"da": "Borgere i ressourceforløb", "en": "Citizens in ressourceforløb"},
}

# The evidence bases (calibration/evidence/*.yaml): a short name and what each one is.
EVIDENCE_LABELS: dict[str, dict[str, str]] = {
    "local_monitoring_copenhagen": {"da": "Lokal monitorering, København", "en": "Local monitoring, Copenhagen"},
    "ibbis1_trials": {"da": "IBBIS I-forsøgene", "en": "IBBIS I trials"},
    "herning_trial": {"da": "Herning-forsøget", "en": "Herning trial"},
}
EVIDENCE_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "local_monitoring_copenhagen": {
        "da": "Københavns lokale monitorering af IBBIS (60% mod 48% raskmeldte; ca. 3 uger kortere) - en indikation, "
              "ikke et forsøg",
        "en": "Copenhagen local monitoring of IBBIS (60% vs 48% recovered; ~3 weeks shorter) - an indication, not a "
              "trial"},
    "ibbis1_trials": {
        "da": "IBBIS I-lodtrækningsforsøgene, depression/angst og stressrelaterede lidelser (Hoff m.fl. 2022), "
              "effekter pr. diagnosegruppe",
        "en": "IBBIS I randomised trials, depression/anxiety and stress-related (Hoff et al. 2022), effects by "
              "diagnosis group"},
    "herning_trial": {
        "da": "Herning stressklinik-forsøget (Dalgaard m.fl. 2017): HR 1,57 ved 44 uger, medianer 15 mod 19 uger",
        "en": "Herning stress clinic trial (Dalgaard et al. 2017): HR 1.57 at 44 weeks, medians 15 vs 19 weeks"},
}


def text(key: str, lang: str, **fmt) -> str:
    entry = LABELS[key][lang if lang in LANGS else DEFAULT_LANG]
    return entry.format(**fmt) if fmt else entry


def term(key: str, lang: str) -> str:
    """Hover text for a Danish term (``help=``)."""
    return TERMS[key][lang if lang in LANGS else DEFAULT_LANG]


def _pick(table: dict[str, dict[str, str]], key: str, lang: str) -> str:
    entry = table.get(key)
    return entry[lang if lang in LANGS else DEFAULT_LANG] if entry else key.replace("_", " ")


def metric_label(metric: str, lang: str) -> str:
    return _pick(METRIC_LABELS, metric, lang)


def group_label(group: str, lang: str) -> str:
    """An output's group: a pathway, or the pool or provider a capacity output is counted by."""
    return _pick(GROUP_LABELS if group in GROUP_LABELS else NAME_LABELS, group, lang)


def effect_label(effect: str, lang: str) -> str:
    return _pick(EFFECT_LABELS, effect, lang)


def output_label(output: str, lang: str) -> str:
    """``recovered_share.integrated`` -> 'Share back at work within the horizon (integrated)'."""
    metric, _, group = output.partition(".")
    return f"{metric_label(metric, lang)} ({group_label(group, lang)})" if group else metric_label(metric, lang)


def name_label(identifier: str, lang: str) -> str:
    """A pool's, provider's or population group's human name: ``health_outside_jobcentre`` -> 'Treatment outside
    the jobcentre'."""
    return _pick(NAME_LABELS, identifier, lang)


def scenario_description(sc, lang: str) -> str:
    """The scenario's one line in the language (the Danish line falls back to the English one)."""
    return (getattr(sc, "description_da", "") or sc.description) if lang == "da" else sc.description


def evidence_label(name: str, lang: str) -> str:
    return _pick(EVIDENCE_LABELS, name, lang)


def evidence_description(name: str, lang: str, fallback: str = "") -> str:
    entry = EVIDENCE_DESCRIPTIONS.get(name)
    return entry[lang if lang in LANGS else DEFAULT_LANG] if entry else fallback


# The calibration's identifiability warnings (calibration/identifiability.py) are stored in English in
# each record; these patterns give them in the reader's language with the record's own figures.
WARNING_PATTERNS: list[tuple[str, str]] = [
    # what a budget's intervals include (model.economics.uncertainty_label)
    (r"^simulation noise only \(paired replications on common random numbers\)$", "unc_sim_only"),
    (r"^simulation noise and calibration uncertainty: the range of the expected result over (?P<k>\d+) of (?P<n>\d+) "
     r"accepted parameter sets of (?P<name>.+), cycled over (?P<reps>\d+) paired replications .*$", "unc_calibration"),
    (r"^(?P<n>\d+) free parameters but (?P<m>\d+) point targets: .*$", "calw_underdetermined"),
    (r"^only (?P<n>\d+) accepted sets: .*$", "calw_few_sets"),
    (r"^(?P<p>[\w.]+): accepted values reach the prior's (?P<side>lower|upper) bound \((?P<bound>[^)]*)\); .*$",
     "calw_edge_{side}"),
    (r"^(?P<p>[\w.]+): accepted values span (?P<pct>\d+)% of the prior range (?P<range>\[[^\]]*\]); .*$", "calw_span"),
    (r"^(?P<p>[\w.]+) and (?P<q>[\w.]+) trade off .*rank correlation (?P<r>[-+\d.]+) .*$", "calw_trade_off"),
    (r"^(?P<p>[\w.]+) and (?P<q>[\w.]+) move together .*rank correlation (?P<r>[-+\d.]+) .*$", "calw_together"),
]


def translate_warning(warning: str, lang: str) -> str:
    """A stored calibration warning (or a budget's uncertainty note) in the language; one that matches no
    pattern is returned as stored."""
    import re

    for pattern, key in WARNING_PATTERNS:
        m = re.match(pattern, warning)
        if m:
            fields = m.groupdict()
            key = key.format(**fields)
            fields.update({k: parameter_label(fields[k], lang) for k in ("p", "q") if k in fields})
            if lang == "da":
                fields = {k: v.replace(".", ",") if k in {"bound", "r", "range"} else v for k, v in fields.items()}
                fields["range"] = fields.get("range", "").replace(", ", "; ")
            return text(key, lang, **{k: v for k, v in fields.items() if "{" + k + "}" in LABELS[key]["en"]})
    return warning


# Sensitivity parameters (dotted scenario paths) and calibration's free parameters, in words.
PARAMETER_WORDS: dict[str, dict[str, str]] = {
    "caseload_limit": {"da": "sagsstamme", "en": "caseload limit"},
    "share_at_maximum": {"da": "andel på maksimumssats", "en": "share at the maximum rate"},
    "discount.rate": {"da": "diskonteringsrente", "en": "discount rate"},
    "fte_dkk": {"da": "kr. pr. årsværk", "en": "DKK per FTE"},
    "annual_wage_dkk": {"da": "årsløn", "en": "annual wage"},
    "employment_rate": {"da": "beskæftigelsesgrad", "en": "employment rate"},
    "tax_rate": {"da": "skattesats", "en": "tax rate"},
    "uptake": {"da": "andel der starter behandling", "en": "treatment uptake"},
    "delay.mean": {"da": "gns. ventetid på behandling (uger)", "en": "mean wait for treatment (weeks)"},
    "therapists": {"da": "behandlere", "en": "therapists"},
    "nr2_clarification": {"da": "forlængelse nr. 2 (afklaring)", "en": "extension no. 2 (clarification)"},
    "nr3_expected_recovery": {"da": "forlængelse nr. 3 (forventet raskmelding)",
                              "en": "extension no. 3 (expected recovery)"},
    "outside_treatment_share": {"da": "andel i behandling uden for jobcentret",
                                "en": "share treated outside the jobcentre"},
    "baseline_scale": {"da": "skala på grundchancen for at vende tilbage", "en": "scale of the baseline return hazard"},
    "coordination_effect": {"da": "koordinering i øvrigt (effekt)", "en": "other coordination (effect)"},
    "int_depression_anxiety": {"da": "integreret forløb, depression/angst (effekt)",
                               "en": "integrated pathway, depression/anxiety (effect)"},
    "int_stress": {"da": "integreret forløb, stress (effekt)", "en": "integrated pathway, stress (effect)"},
    "mhc_depression_anxiety": {"da": "forbedret behandling, depression/angst (effekt)",
                               "en": "improved care, depression/anxiety (effect)"},
    "mhc_stress": {"da": "forbedret behandling, stress (effekt)", "en": "improved care, stress (effect)"},
    "int_late_depression_anxiety": {"da": "integreret forløb, depression/angst, fra uge 26 (effekt)",
                                    "en": "integrated pathway, depression/anxiety, from week 26 (effect)"},
    "int_other_exit_depression_anxiety": {"da": "integreret forløb, depression/angst, afgang af andre grunde (effekt)",
                                          "en": "integrated pathway, depression/anxiety, leaving for other reasons (effect)"},
}


def parameter_label(path: str, lang: str) -> str:
    """``hazard.effects.job_goal`` -> 'Effect: Job goal set'; ``consultants.standard.caseload_limit`` ->
    'caseload limit (standard pathway)'. Unknown paths keep their words with the underscores as spaces."""
    lang = lang if lang in LANGS else DEFAULT_LANG
    parts = path.split(".")
    if parts[-1] in EFFECT_LABELS and (len(parts) == 1 or parts[-2] == "effects"):
        return f"{text('effect_word', lang)}: {EFFECT_LABELS[parts[-1]][lang]}"
    for k in (2, 1):
        tail = ".".join(parts[-k:])
        if tail in PARAMETER_WORDS and len(parts) >= k:
            where = [NAME_LABELS[p][lang] for p in parts[:-k] if p in NAME_LABELS]
            return PARAMETER_WORDS[tail][lang] + (f" ({', '.join(where)})" if where else "")
    return path.replace("_", " ")
