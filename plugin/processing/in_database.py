"""Assign codes and the overlay check inside PostGIS when every layer is a table of one database: the plan,
made in prepareAlgorithm, and the run, falling back to the engine on a file output."""
from .base import ENGINES


def in_db_plan(alg, parameters, context, layer_params, need_registry):
    """(InDb or None, why not) for postgis_engine.processing_plan from an algorithm's parameters."""
    from qgis.core import QgsProcessingFeatureSourceDefinition
    from ..core.engine.postgis import output_target, processing_plan

    layers = [alg.parameterAsVectorLayer(parameters, name, context) for name in layer_params]
    layers += [layer for layer in alg.parameterAsLayerList(parameters, "PLANNING", context)
               if layer is not None and hasattr(layer, "isModified")]
    restricted = any(isinstance(v, QgsProcessingFeatureSourceDefinition) and (
        v.selectedFeaturesOnly or v.featureLimit not in (-1, None)) for v in (parameters.get(n) for n in layer_params))
    # A conversion chosen keeps the run in QGIS; "auto" does not (tables in the database are not tested).
    datums = [d for name in ("BUILDINGS_DATUM", "DIVISIONS_DATUM", "PLANNING_DATUM")
              if (d := alg.datum_value(parameters, name, context)) != "auto"]
    registry = alg.optional_file(parameters, "REGISTRY", context) if need_registry else None
    target = output_target(parameters.get("OUTPUT"), alg.parameterAsString(parameters, "OUTPUT_TABLE", context))
    return processing_plan([layer for layer in layers], restricted, alg.enum_value(
        parameters, "ENGINE", context, ENGINES), datums, target, registry, need_registry)


def run_in_db_or_here(alg, job, run_here, in_db_name, parameters, context, feedback):
    """Run `job` inside PostGIS when prepareAlgorithm planned it (postgis_engine.<in_db_name>), else (or when the
    database says it cannot) with `run_here` on a file output. Returns (Result, the output to load)."""
    from ..core.engine import postgis as postgis_engine
    from ..core.engine.postgis_db import InDbError

    reason = alg.not_in_db
    if alg.in_db is not None:
        feedback.pushInfo(alg.tr("Inside the database, layers are taken in the datum they are labelled with: web-map "
                                 "datums are not detected there (choose a file output to have them detected)"))
        if alg.parameterDefinition("PARTS") is not None:
            feedback.pushInfo(alg.tr("Inside the database, building parts are not recognised: they are coded as "
                                     "buildings (choose a file output to have them recognised)"))
        try:
            result = getattr(postgis_engine, in_db_name)(job, alg.in_db, feedback)
            result.output = "postgres://" + result.output  # how Processing names a layer of another provider
            return result, alg.parameterAsOutputLayer(parameters, "OUTPUT", context)
        except InDbError as e:
            reason = str(e)
    if reason:
        feedback.pushInfo(alg.tr("Running in QGIS, not inside the database: {}").format(reason))
    job.output = alg.output_path(parameters, "OUTPUT", context)
    return run_here(job, feedback), job.output
