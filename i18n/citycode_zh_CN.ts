<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>CityCode</name>
        <message>
            <location filename="plugin/gui/batch.py" line="445" />
            <source>CityCode</source>
            <translation>城市码</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="136" />
            <source>Planning layers…</source>
            <translation>规划图层…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="136" />
            <source>Load 三区三线 and 用地用海 layers from a GeoPackage, a folder or PostGIS, grouped and styled</source>
            <translation>从 GeoPackage、文件夹或 PostGIS 加载三区三线和用地用海图层，并自动分组、配置样式</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="140" />
            <source>Code tool (click a building or project)</source>
            <translation>赋码工具（点击建筑物或项目）</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="140" />
            <source>Click a feature: see its division and planning overlaps, assign, edit, retire, split or merge its code</source>
            <translation>点击要素：查看其所在行政区划和规划图层叠加情况，赋码、编辑、注销、拆分或合并其编码</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="143" />
            <source>Code form of the selected feature…</source>
            <translation>所选要素的赋码表单…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="143" />
            <source>Open the code form of the selected feature</source>
            <translation>打开所选要素的赋码表单</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="147" />
            <source>Batch assign…</source>
            <translation>批量赋码…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="147" />
            <source>Code a layer in the background with the registry and profile from the settings; the coded layer is added with its codes as labels</source>
            <translation>按设置中的编码库和编码方案在后台为图层赋码；完成后添加已赋码图层，并以编码作为标注</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="150" />
            <source>Assign codes (Processing dialog)…</source>
            <translation>赋码（处理工具对话框）…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="150" />
            <source>Give buildings or projects unified city codes in one batch</source>
            <translation>为建筑物或项目批量赋城市码</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="153" />
            <source>Review a vintage update…</source>
            <translation>核定年度更新…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="153" />
            <source>Match a new building survey to last year's coded buildings, review the changes, then carry, issue and retire codes</source>
            <translation>将新的建筑物调查与上一年已赋码建筑物匹配，核定变化，然后沿用、发放和注销编码</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="157" />
            <source>Check against planning layers…</source>
            <translation>规划图层叠加分析…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="157" />
            <source>Check features against planning layers (red lines, farmland, development boundary)</source>
            <translation>将要素与规划图层（生态保护红线、永久基本农田、城镇开发边界）进行叠加分析</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="161" />
            <source>Validate codes…</source>
            <translation>编码校验…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="161" />
            <source>Check existing codes against their profile and check character</source>
            <translation>按编码方案和校验码检查已有编码</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="165" />
            <source>Code monitoring points…</source>
            <translation>监测点赋码…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="165" />
            <source>Import monitoring points from a file or layer, code them, place them in divisions and planning zones and sample rasters, in one pass</source>
            <translation>从文件或图层导入监测点，一次完成赋码、落入行政区划和规划分区以及栅格取值</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="169" />
            <source>Import monitoring points…</source>
            <translation>导入监测点…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="169" />
            <source>Read points from CSV, Excel, GeoJSON, GeoPackage or Shapefile; rows that cannot be read are listed with their line numbers</source>
            <translation>从 CSV、Excel、GeoJSON、GeoPackage 或 Shapefile 读取点位；无法读取的行将连同行号一并列出</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="173" />
            <source>Sample rasters at points…</source>
            <translation>点位栅格取值…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="173" />
            <source>Add the values of raster layers at points (nodata left empty)</source>
            <translation>为点位添加所在处的栅格图层值（无数据处留空）</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="176" />
            <source>Import observations…</source>
            <translation>导入监测数据…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="176" />
            <source>Import the time series measured at monitoring points, with thresholds and exceedances</source>
            <translation>导入监测点的时间序列监测数据，并按限值判断超标</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="180" />
            <source>Export observations…</source>
            <translation>导出监测数据…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="180" />
            <source>Write the observations of the registry to CSV or Excel</source>
            <translation>将编码库中的监测数据导出为 CSV 或 Excel</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="184" />
            <source>Print coded map, atlas or code cards…</source>
            <translation>输出赋码地图、图集或编码卡…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="184" />
            <source>PDF or PNG: one map, one page per division, or a card with QR code per feature</source>
            <translation>PDF 或 PNG：单幅地图、每个行政区划一页的图集，或每个要素一张带二维码的编码卡</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="188" />
            <source>Export coded data…</source>
            <translation>导出赋码数据…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="188" />
            <source>GeoPackage, Shapefile (UTF-8 or GBK), CSV, Excel or GeoJSON that other systems read back</source>
            <translation>导出为其他系统可读取的 GeoPackage、Shapefile（UTF-8 或 GBK）、CSV、Excel 或 GeoJSON</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="193" />
            <source>Check out a field package…</source>
            <translation>检出外业包…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="193" />
            <source>One GeoPackage for work without network: the area's features, divisions, planning layers and reserved code numbers</source>
            <translation>生成一个供无网络环境作业使用的 GeoPackage：包含该区域的要素、行政区划、规划图层和预留的顺序号</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="197" />
            <source>Check in a field package…</source>
            <translation>检入外业包…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="197" />
            <source>Merge the codes, edits and retirements made offline back into the shared registry</source>
            <translation>将离线时发放的编码、所做的编辑和注销合并回共享编码库</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="201" />
            <source>Field package conflicts…</source>
            <translation>外业包冲突…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="201" />
            <source>Changes made both offline and in the registry: see both versions and choose one</source>
            <translation>离线和编码库中都有改动的内容：查看两个版本并选择其一</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="205" />
            <source>Settings…</source>
            <translation>设置…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="205" />
            <source>Registry location, code profiles, default year, issuing unit, planning layer sources</source>
            <translation>编码库位置、编码方案、默认年份、出图单位、规划图层来源</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="199" />
            <source>Install speed-ups…</source>
            <translation>安装加速组件…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="333" />
            <source>Cannot open the algorithm {}: {}</source>
            <translation>无法打开算法 {}：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/settings.py" line="148" />
            <source>{} is a folder; choose a registry file in it</source>
            <translation>{} 是文件夹；请在其中选择一个编码库文件</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite.py" line="131" />
            <source>The registry folder does not exist: {}</source>
            <translation>编码库所在文件夹不存在：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/settings.py" line="161" />
            <source>The output folder does not exist: {}</source>
            <translation>输出文件夹不存在：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/settings.py" line="163" />
            <source>The output folder cannot be written to: {}</source>
            <translation>输出文件夹不可写：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/settings.py" line="213" />
            <source>This is not a shared PostgreSQL registry</source>
            <translation>这不是 PostgreSQL 共享编码库</translation>
        </message>
        <message>
            <location filename="plugin/core/settings.py" line="221" />
            <source>PostgreSQL {}.{}, {}, database {}, user {}</source>
            <translation>PostgreSQL {}.{}，{}，数据库 {}，用户 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/settings.py" line="257" />
            <source>Created the roles {}.</source>
            <translation>已创建角色 {}。</translation>
        </message>
        <message>
            <location filename="plugin/core/settings.py" line="259" />
            <source>The roles {} existed already.</source>
            <translation>角色 {} 已存在。</translation>
        </message>
        <message>
            <location filename="plugin/core/settings.py" line="260" />
            <source>The schema {} now belongs to citycode_admin (may upgrade the registry); citycode_code may issue and change codes, citycode_read may read them.</source>
            <translation>模式 {} 现归 citycode_admin 所有（可升级编码库）；citycode_code 可发放和修改编码，citycode_read 可读取编码。</translation>
        </message>
        <message>
            <location filename="plugin/core/settings.py" line="262" />
            <source>Give each user a role, e.g. GRANT citycode_code TO alice;</source>
            <translation>请为每个用户授予一个角色，如 GRANT citycode_code TO alice;</translation>
        </message>
        <message>
            <location filename="plugin/core/speedup_install.py" line="28" />
            <source>GDAL's Arrow stream and OGR for reading and writing files</source>
            <translation>读写文件使用 GDAL 的 Arrow 数据流和 OGR</translation>
        </message>
        <message>
            <location filename="plugin/core/speedup_install.py" line="30" />
            <source>QGIS's own geometry engine</source>
            <translation>几何运算使用 QGIS 自带的几何引擎</translation>
        </message>
        <message>
            <location filename="plugin/core/speedup_install.py" line="33" />
            <source>QGIS's raster providers for raster values</source>
            <translation>栅格取值使用 QGIS 的栅格数据提供程序</translation>
        </message>
        <message>
            <location filename="plugin/core/speedup_install.py" line="65" />
            <source>Optional speed-ups not in use: {}. CityCode works without them, with {}; with them large batch jobs run faster.</source>
            <translation>未启用的可选加速组件：{}。没有它们城市码同样可用（{}）；装上后，大批量任务运行更快。</translation>
        </message>
        <message>
            <location filename="plugin/core/speedup_install.py" line="68" />
            <source>(CITYCODE_SPEEDUPS is set: CityCode leaves out the ones it does not name.)</source>
            <translation>（已设置 CITYCODE_SPEEDUPS：其中未列出的加速组件不会使用。）</translation>
        </message>
        <message>
            <location filename="plugin/core/speedup_install.py" line="131" />
            <source>QGIS runs in a virtual environment: the packages go into it.</source>
            <translation>QGIS 运行在虚拟环境中：这些包将装入该环境。</translation>
        </message>
        <message>
            <location filename="plugin/core/speedup_install.py" line="134" />
            <source>--user: into your own Python folder{}; nothing of QGIS or of the system changes (pip uninstall removes them).</source>
            <translation>--user：安装到您本人的 Python 目录{}；QGIS 和系统均不受影响（可用 pip uninstall 卸载）。</translation>
        </message>
        <message>
            <location filename="plugin/core/speedup_install.py" line="138" />
            <source>--break-system-packages: this Python is managed by the system's packages (PEP 668) and pip refuses even --user installs without it; with --user nothing the system installed is touched.</source>
            <translation>--break-system-packages：此 Python 由系统软件包管理（PEP 668），不加此参数时 pip 连 --user 安装也会拒绝；配合 --user 使用，不会改动系统已安装的任何内容。</translation>
        </message>
        <message>
            <location filename="plugin/core/speedup_install.py" line="142" />
            <source>--only-binary=:all:: ready-made packages only, nothing is compiled.</source>
            <translation>--only-binary=:all:：只安装现成的预编译包，不进行任何编译。</translation>
        </message>
        <message>
            <location filename="plugin/core/speedup_install.py" line="147" />
            <source>numpy=={}: the numpy QGIS has loaded, so pip keeps it and chooses versions that work with it.</source>
            <translation>numpy=={}：即 QGIS 已加载的 numpy，pip 会保留它，并选用与之兼容的版本。</translation>
        </message>
        <message>
            <location filename="plugin/core/speedup_install.py" line="176" />
            <source>Install pip first (Debian / Ubuntu: sudo apt install python3-pip), then run this in a terminal:</source>
            <translation>请先安装 pip（Debian / Ubuntu：sudo apt install python3-pip），然后在终端中运行：</translation>
        </message>
        <message>
            <location filename="plugin/core/speedup_install.py" line="178" />
            <source>Add pip first (OSGeo4W Setup: the python3-pip package), then run this in the OSGeo4W Shell:</source>
            <translation>请先安装 pip（在 OSGeo4W 安装程序中选择 python3-pip 包），然后在 OSGeo4W Shell 中运行：</translation>
        </message>
        <message>
            <location filename="plugin/core/speedup_install.py" line="179" />
            <source>Add pip first ({} -m ensurepip --user), then run this in a terminal:</source>
            <translation>请先安装 pip（{} -m ensurepip --user），然后在终端中运行：</translation>
        </message>
        <message>
            <location filename="plugin/core/speedups.py" line="68" />
            <source>Optional speed-ups not found ({}): CityCode uses QGIS's own reading and geometry, which is slower on large layers. Install them with pip to speed up batch jobs.</source>
            <translation>未找到可选加速组件（{}）：城市码将使用 QGIS 自身的读取与几何计算，处理大图层时较慢。用 pip 安装这些组件可加快批处理。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="186" />
            <source>The layer has no coordinates to tell its CRS from.</source>
            <translation>图层没有坐标，无法据此判断其坐标系。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="192" />
            <source>x {x} look like northings or latitudes and y {y} like eastings or longitudes: the axes are swapped in the data. Swap them first (Processing: Swap X and Y coordinates); nothing was changed. After swapping: {rest}</source>
            <translation>x {x} 像是北坐标或纬度，y {y} 像是东坐标或经度：数据中的坐标轴颠倒了。请先交换坐标（处理工具：交换 X 和 Y 坐标）；未做任何更改。交换后：{rest}</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="208" />
            <source>The layer has no CRS.</source>
            <translation>图层没有坐标系。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="212" />
            <source>The layer's CRS cannot be read.</source>
            <translation>无法读取图层的坐标系。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="227" />
            <source>x {x} starts with different zone numbers ({first} to {last}): the layer mixes Gauss-Krüger zones, which no single CRS can hold.</source>
            <translation>x {x} 开头的带号不同（{first} 至 {last}）：图层混合了多个高斯-克吕格投影带，任何单一坐标系都无法容纳。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="230" />
            <source>x {x} and y {y} fit no CGCS2000 coordinate system nor Web Mercator (a local city grid?). Set the layer's CRS.</source>
            <translation>x {x}、y {y} 既不符合任何 CGCS2000 坐标系，也不符合 Web 墨卡托（可能是城市独立坐标系？）。请设置图层的坐标系。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="238" />
            <source>x {x} and y {y} are Gauss-Krüger metres without zone prefix; {why}</source>
            <translation>x {x}、y {y} 是不带带号的高斯-克吕格坐标（米）；{why}</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="238" />
            <source>x {x} and y {y} fit several coordinate systems; {why}</source>
            <translation>x {x}、y {y} 符合多个坐标系；{why}</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="242" />
            <source>x {x} and y {y} are Gauss-Krüger metres without zone prefix, which do not tell the zone (central meridian). Choose the CRS: the CGCS2000 zones without prefix are EPSG:{gk3} (3°) and EPSG:{gk6} (6°), central meridians 75°E-135°E.</source>
            <translation>x {x}、y {y} 是不带带号的高斯-克吕格坐标（米），无法据此判断投影带（中央经线）。请选择坐标系：不带带号的 CGCS2000 投影带为 EPSG:{gk3}（3° 带）和 EPSG:{gk6}（6° 带），中央经线 75°E–135°E。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="247" />
            <source>x {x} and y {y} fit several coordinate systems: {crss}. Choose the CRS.</source>
            <translation>x {x}、y {y} 符合多个坐标系：{crss}。请选择坐标系。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="300" />
            <source>only {crs} puts the data on the other layer ({lon}°E, {lat}°N)</source>
            <translation>只有按 {crs} 数据才落在另一图层上（{lon}°E，{lat}°N）</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="303" />
            <source>the other layer's CRS is {crs}</source>
            <translation>另一图层的坐标系为 {crs}</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="306" />
            <source>the other layer's CRS ({crs}) has central meridian {cm}°E</source>
            <translation>另一图层的坐标系（{crs}）中央经线为 {cm}°E</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="314" />
            <source>x {x} and y {y} are longitudes and latitudes in China</source>
            <translation>x {x}、y {y} 为中国境内的经纬度</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="316" />
            <source>x {x} and y {y} are Web Mercator metres over China</source>
            <translation>x {x}、y {y} 为中国范围内的 Web 墨卡托坐标（米）</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="318" />
            <source>x {x} starts with {zone}, the number of a {width}° Gauss-Krüger zone (central meridian {cm}°E), and y {y} are northings in China</source>
            <translation>x {x} 以 {zone} 开头，即 {width}° 高斯-克吕格投影带的带号（中央经线 {cm}°E），且 y {y} 为中国境内的北坐标</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="324" />
            <source>{evidence}: assumed {crs}.</source>
            <translation>{evidence}：按 {crs} 处理。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="326" />
            <source>Coordinates from Chinese web maps are usually GCJ-02 (Baidu: BD-09), up to several hundred metres off CGCS2000: check the alignment against a trusted layer.</source>
            <translation>国内网络地图的坐标通常为 GCJ-02（百度为 BD-09），与 CGCS2000 可相差数百米：请对照可靠图层检查套合情况。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="329" />
            <source>Beijing 1954 and Xian 1980 coordinates look the same but lie up to about 100 m away; CGCS2000 is assumed.</source>
            <translation>北京 1954 和西安 1980 坐标数值看起来相同，但位置可相差约 100 m；此处按 CGCS2000 处理。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="338" />
            <source>{crs} fits x {x} and y {y} only with x and y exchanged.</source>
            <translation>只有交换 x 和 y 后，{crs} 才与 x {x}、y {y} 相符。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="344" />
            <source>{crs} is in degrees, but x {x} and y {y} are not longitudes and latitudes.</source>
            <translation>{crs} 以度为单位，但 x {x}、y {y} 不是经纬度。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="354" />
            <source>{crs} expects x to start with the zone number {zone}, but x {x} has no zone prefix.</source>
            <translation>{crs} 要求 x 以带号 {zone} 开头，但 x {x} 不带带号。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="357" />
            <source>{crs} is zone {zone}, but x {x} starts with {found}.</source>
            <translation>{crs} 为第 {zone} 带，但 x {x} 以 {found} 开头。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="360" />
            <source>{crs} has no zone prefix, but x {x} starts with a zone number ({found}).</source>
            <translation>{crs} 不带带号，但 x {x} 以带号（{found}）开头。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="362" />
            <source>In {crs}, x {x} and y {y} lie too far from the central meridian {cm}°E or outside China.</source>
            <translation>按 {crs}，x {x}、y {y} 距中央经线 {cm}°E 过远，或位于中国境外。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="366" />
            <source>In {crs}, x {x} and y {y} are not on the earth.</source>
            <translation>按 {crs}，x {x}、y {y} 超出地球范围。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="370" />
            <source>In {crs}, x {x} and y {y} lie at {lon}°E, {lat}°N, far outside the area the CRS is made for.</source>
            <translation>按 {crs}，x {x}、y {y} 位于 {lon}°E，{lat}°N，远在该坐标系的适用范围之外。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/crs.py" line="373" />
            <source>In {crs}, x {x} and y {y} lie at {lon}°E, {lat}°N, outside China.</source>
            <translation>按 {crs}，x {x}、y {y} 位于 {lon}°E，{lat}°N，在中国境外。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/datum_detect.py" line="104" />
            <source>{} seats matched the reference: common offset {:.0f} m as labelled, {:.0f} m as GCJ-02, {:.0f} m as BD-09 (± {:.0f} m)</source>
            <translation>{} 个驻地与参考点匹配：共同偏移按标注为 {:.0f} 米，按 GCJ-02 为 {:.0f} 米，按 BD-09 为 {:.0f} 米（± {:.0f} 米）</translation>
        </message>
        <message>
            <location filename="plugin/core/china/datum_detect.py" line="212" />
            <source>fields {} are those of {} data</source>
            <translation>字段 {} 是 {} 数据的字段</translation>
        </message>
        <message>
            <location filename="plugin/core/china/datum_detect.py" line="222" />
            <source>the name '{}' says {}</source>
            <translation>名称“{}”表明为 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/china/datum_detect.py" line="249" />
            <source>{}: looks drawn on a Chinese web map ({}): coordinates converted from {} to CGCS2000 (datum 'auto'; choose 'as labelled' to keep them)</source>
            <translation>{}：看起来来自国内网络地图（{}）：坐标已由 {} 转换为 CGCS2000（坐标系为“自动识别”；如需保留原坐标，请选择“按标注的坐标系”）</translation>
        </message>
        <message>
            <location filename="plugin/core/china/datum_detect.py" line="253" />
            <source>{}: may be in {}, not what it is labelled ({}); not converted. If so, choose {} as its datum or run 'Convert web-map datum' first</source>
            <translation>{}：坐标可能是 {}，而非所标注的坐标系（{}）；未转换。若确实如此，请将其坐标系选为 {}，或先运行“网络地图坐标转换”</translation>
        </message>
        <message>
            <location filename="plugin/core/points/source_crs.py" line="34" />
            <source>Unknown datum '{}': use one of {}</source>
            <translation>未知坐标系“{}”：请使用以下之一：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/china/division_levels.py" line="29" />
            <source>province</source>
            <translation>省级</translation>
        </message>
        <message>
            <location filename="plugin/core/china/division_levels.py" line="30" />
            <source>prefecture</source>
            <translation>地级</translation>
        </message>
        <message>
            <location filename="plugin/core/china/division_levels.py" line="31" />
            <source>county</source>
            <translation>县级</translation>
        </message>
        <message>
            <location filename="plugin/core/china/division_levels.py" line="32" />
            <source>township</source>
            <translation>乡镇级</translation>
        </message>
        <message>
            <location filename="plugin/core/china/division_levels.py" line="33" />
            <source>village</source>
            <translation>村级</translation>
        </message>
        <message>
            <location filename="plugin/core/china/division_levels.py" line="67" />
            <source>{}-digit</source>
            <translation>{} 位</translation>
        </message>
        <message>
            <location filename="plugin/core/china/division_levels.py" line="77" />
            <source>{} values have {} digits: {} level</source>
            <translation>{} 个值为 {} 位：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/china/division_levels.py" line="79" />
            <source>{} values have {} digits ending in {} zeros: {} level written in {} digits</source>
            <translation>{} 个值为 {} 位且末尾有 {} 个 0：即{}代码写成 {} 位</translation>
        </message>
        <message>
            <location filename="plugin/core/china/division_levels.py" line="84" />
            <source>{} values are no division code (e.g. '{}')</source>
            <translation>{} 个值不是区划代码（如“{}”）</translation>
        </message>
        <message>
            <location filename="plugin/core/china/division_levels.py" line="86" />
            <source>{} values are empty</source>
            <translation>{} 个值为空</translation>
        </message>
        <message>
            <location filename="plugin/core/china/division_levels.py" line="88" />
            <source>all {}</source>
            <translation>全部 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/china/division_levels.py" line="104" />
            <source>No value of field '{}' is a division code of 2, 4, 6, 9 or 12 digits: {}. Choose the field that holds the division codes</source>
            <translation>字段“{}”中没有 2、4、6、9 或 12 位的区划代码：{}。请选择存放区划代码的字段</translation>
        </message>
        <message>
            <location filename="plugin/core/china/division_levels.py" line="109" />
            <source>The division codes of field '{}' are at {} level ({}), and no shipped {} profile has {}-digit division codes: choose a profile file</source>
            <translation>字段“{}”的区划代码为{}（{}），插件自带的 {} 编码方案中没有 {} 位区划代码的方案：请选择编码方案文件</translation>
        </message>
        <message>
            <location filename="plugin/core/china/division_levels.py" line="120" />
            <source>No value of field '{}' fits the {}-digit division segment of profile {}: {}. {}</source>
            <translation>字段“{}”中没有值符合编码方案的 {} 位区划码段（方案 {}）：{}。{}</translation>
        </message>
        <message>
            <location filename="plugin/core/china/division_levels.py" line="120" />
            <source>Choose the profile {} (or auto, which picks the level from the data).</source>
            <translation>请选择编码方案 {}（或 auto，按数据自动确定级别）。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/division_levels.py" line="120" />
            <source>Choose the field that holds the division codes, or a profile that fits them.</source>
            <translation>请选择存放区划代码的字段，或与之相符的编码方案。</translation>
        </message>
        <message>
            <location filename="plugin/core/china/division_levels.py" line="125" />
            <source>Division codes (field '{}'): {}; coded at {} level with profile {}</source>
            <translation>区划代码（字段“{}”）：{}；按{}用编码方案 {} 赋码</translation>
        </message>
        <message>
            <location filename="plugin/core/china/division_levels.py" line="130" />
            <source> ({} codes read at {} digits, e.g. {} → {})</source>
            <translation>（{} 个代码按 {} 位读取，如 {} → {}）</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="77" />
            <source>the table's name goes on with '{}'</source>
            <translation>区划表中的名称后面还有“{}”</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="79" />
            <source>'{}' at the end is not in the table's name</source>
            <translation>末尾的“{}”不在区划表的名称中</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="82" />
            <source>the suffix differs: '{}' here, '{}' in the table</source>
            <translation>后缀不同：此处为“{}”，区划表中为“{}”</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="84" />
            <source>the part before '{}' differs</source>
            <translation>“{}”之前的部分不同</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="117" />
            <source>Cannot read {}: not UTF-8 or GB18030 text</source>
            <translation>无法读取 {}：不是 UTF-8 或 GB18030 编码的文本</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="132" />
            <source>{} needs the columns statistics_code and adcode</source>
            <translation>{} 必须包含 statistics_code 和 adcode 两列</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="295" />
            <source>{} is a former code ({}), last seen in the {} GB/T 2260 list; now {}</source>
            <translation>{} 是旧代码（{}），最后见于 {} 年 GB/T 2260 代码表；现为 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="297" />
            <source>{} is a former code ({}), last seen in the {} GB/T 2260 list; no successor is known</source>
            <translation>{} 是旧代码（{}），最后见于 {} 年 GB/T 2260 代码表；现行代码不详</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="300" />
            <source>{} is a former code ({}), last seen in the {} table; now {}</source>
            <translation>{} 是旧代码（{}），最后见于 {} 年版区划表；现为 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="302" />
            <source>{} is a former code ({}), last seen in the {} table; no successor is known</source>
            <translation>{} 是旧代码（{}），最后见于 {} 年版区划表；现行代码不详</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="306" />
            <source>{} is not in the {} national division table, nor in the earlier ones since {}</source>
            <translation>{} 不在 {} 年版全国区划代码表中，{} 年以来的各版中也没有</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="314" />
            <source>A division code has 6 digits: '{}'</source>
            <translation>区划代码应为 6 位：“{}”</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="390" />
            <source>No code</source>
            <translation>无代码</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="393" />
            <source>'{}' is not a division code: digits only</source>
            <translation>“{}”不是区划代码：只能包含数字</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="396" />
            <source>{} is a village-level code: the table goes down to townships (9 digits)</source>
            <translation>{} 是村级代码：区划表只到乡镇级（9 位）</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="400" />
            <source>{} has {} digits: division codes have 2, 4, 6, 9 or 12 digits</source>
            <translation>{} 为 {} 位：区划代码应为 2、4、6、9 或 12 位</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="409" />
            <source>map vendor</source>
            <translation>地图服务商</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="410" />
            <source>{} is a map-vendor adcode ({}); checked as statistics code {}</source>
            <translation>{} 是地图服务商的 adcode（{}）；已按统计用区划代码 {} 核查</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="413" />
            <source>; {} was also its statistics code until {}</source>
            <translation>；{} 直至 {} 年也是其统计用区划代码</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="424" />
            <source>; its parent {} does not exist either</source>
            <translation>；其上级 {} 也不存在</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="454" />
            <source>; '{}' is {}</source>
            <translation>；“{}”的代码为 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="436" />
            <source>The parent given is {}; in the table {} lies in {}</source>
            <translation>填写的上级为 {}；区划表中 {} 属于 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="446" />
            <source>{} is {} in the table, in {}; this code puts it in {}</source>
            <translation>区划表中 {} 的代码为 {}，属于 {}；而此代码将其归入 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/china/divisions.py" line="450" />
            <source>The name '{}' differs from the table's '{}'</source>
            <translation>名称“{}”与区划表中的“{}”不一致</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="139" />
            <source>{} is not a dBase file</source>
            <translation>{} 不是 dBase 文件</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="242" />
            <source>checked {} text values in {} of {} records</source>
            <translation>共检查 {} 个文本值，来自 {}/{} 条记录</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="247" />
            <source>its .cpg file says {}</source>
            <translation>其 .cpg 文件标明为 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="250" />
            <source>the code page byte of its .dbf (LDID 0x{:02X}) says {}</source>
            <translation>其 .dbf 的代码页字节（LDID 0x{:02X}）标明为 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="253" />
            <source>the .dbf only says 'the code page of the computer that wrote it' (LDID 0x57)</source>
            <translation>其 .dbf 只标明“写入该文件的计算机的代码页”（LDID 0x57）</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="254" />
            <source>there is no .cpg file and no code page byte in the .dbf</source>
            <translation>没有 .cpg 文件，.dbf 中也没有代码页字节</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="261" />
            <source>{}: {}, but its text is {} ({}): the declaration is wrong; read as {}</source>
            <translation>{}：{}，但其文本实为 {}（{}）：该声明有误；已按 {} 读取</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="264" />
            <source>{}: text read as {}: {}</source>
            <translation>{}：文本按 {} 读取：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="267" />
            <source>{}: {}, but {} of its text values are not {}; they read as {} ({})</source>
            <translation>{}：{}，但其中 {} 个文本值不是 {}；文本按 {} 读取（{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="270" />
            <source>{}: text read as {}: {}; {} text values do not decode ({})</source>
            <translation>{}：文本按 {} 读取：{}；有 {} 个文本值无法解码（{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="273" />
            <source>{}: {}; all text is plain ASCII ({})</source>
            <translation>{}：{}；全部文本均为纯 ASCII（{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="275" />
            <source>{}: {}; the text reads as {} ({})</source>
            <translation>{}：{}；按内容判断文本为 {}（{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="277" />
            <source>{} text values do not decode as {} either</source>
            <translation>有 {} 个文本值按 {} 也无法解码</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="474" />
            <source>{} values repaired (e.g. {})</source>
            <translation>{} 个值已修复（如 {}）</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="476" />
            <source>{} values look garbled but no encoding gives Chinese text: left as they are</source>
            <translation>{} 个值看似乱码，但按任何字符编码都得不到中文：保持原样</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="479" />
            <source>{} values have characters lost for good ('?', U+FFFD or 锟斤拷): left as they are</source>
            <translation>{} 个值含已彻底丢失的字符（“?”、U+FFFD 或 锟斤拷）：保持原样</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="482" />
            <source>e.g. '{}'</source>
            <translation>如“{}”</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="483" />
            <source>field {}: {}</source>
            <translation>字段 {}：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/china/encodings.py" line="498" />
            <source>{}: text garbled by a wrong encoding, or lost: {}.</source>
            <translation>{}：因字符编码错误而乱码或丢失的文本：{}。</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="38" />
            <source>Note: {}: {}</source>
            <translation>提示：{}：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="209" />
            <source>The code is empty</source>
            <translation>编码为空</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="65" />
            <source>Length is {}, a {} has {} characters</source>
            <translation>长度为 {}，{}应为 {} 位</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="74" />
            <source>Positions {}-{} ({}) must be digits, found '{}'</source>
            <translation>第 {}–{} 位（{}）必须为数字，实际为“{}”</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="103" />
            <source>unified social credit code</source>
            <translation>统一社会信用代码</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="108" />
            <source>Character {} '{}' is not allowed: GB 32100 uses 0-9 and A-Z without I, O, S, V, Z</source>
            <translation>第 {} 位字符“{}”不允许使用：GB 32100 只使用 0–9 和除 I、O、S、V、Z 以外的 A–Z</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="112" />
            <source>Position 1 '{}' is not a registration authority code (登记管理部门代码); allowed: {}</source>
            <translation>第 1 位“{}”不是登记管理部门代码；允许：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="115" />
            <source>Position 2 '{}' is not an organisation type (机构类别代码) of registration authority '{}'; allowed: {}</source>
            <translation>第 2 位“{}”不是登记管理部门“{}”下的机构类别代码；允许：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="117" />
            <source>division code of the registration authority</source>
            <translation>登记管理机关行政区划码</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="118" />
            <source>Positions 3-8</source>
            <translation>第 3–8 位</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="123" />
            <source>Positions 9-17 '{}' are not an organisation code (组织机构代码, GB 11714): its check character is '{}', expected '{}'</source>
            <translation>第 9–17 位“{}”不是有效的组织机构代码（GB 11714）：其校验码为“{}”，应为“{}”</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="128" />
            <source>Check character (position 18) is '{}', expected '{}'</source>
            <translation>校验码（第 18 位）为“{}”，应为“{}”</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="149" />
            <source>real estate unit number</source>
            <translation>不动产单元号</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="152" />
            <source>county code</source>
            <translation>县级行政区划代码</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="153" />
            <source>Positions 1-6</source>
            <translation>第 1–6 位</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="154" />
            <source>cadastral district, 地籍区</source>
            <translation>地籍区</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="155" />
            <source>cadastral subdistrict, 地籍子区</source>
            <translation>地籍子区</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="157" />
            <source>Position 13 '{}' is not an ownership letter of the parcel code (宗地特征码); GB/T 37346 allows G (state), J (collective), Z (undetermined)</source>
            <translation>第 13 位“{}”不是宗地特征码中的土地所有权类型字母；GB/T 37346 允许 G（国家土地所有权）、J（集体土地所有权）、Z（土地所有权未确定或有争议）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="160" />
            <source>Position 14 '{}' is not a parcel type letter of the parcel code (宗地特征码); GB/T 37346 allows {}</source>
            <translation>第 14 位“{}”不是宗地特征码中的宗地类型字母；GB/T 37346 允许 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="162" />
            <source>parcel number, 宗地顺序号</source>
            <translation>宗地顺序号</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="164" />
            <source>Parcel number (宗地顺序号, positions 15-19) 00000 is never assigned</source>
            <translation>宗地顺序号（第 15–19 位）不能为 00000</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="168" />
            <source>Position 20 '{}' is not a fixture letter (定着物特征码); GB/T 37346 allows F (building), L (forest or trees), Q (other fixture), W (none)</source>
            <translation>第 20 位“{}”不是定着物特征码；GB/T 37346 允许 F（房屋等建筑物、构筑物）、L（森林、林木）、Q（其他定着物）、W（无定着物）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="171" />
            <source>fixture unit number, 定着物单元号</source>
            <translation>定着物单元号</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="175" />
            <source>Without a fixture (W) positions 21-28 must be 00000000, found '{}'</source>
            <translation>无定着物（W）时第 21–28 位必须为 00000000，实际为“{}”</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="179" />
            <source>Building number (幢号, positions 21-24) 0000 is never assigned</source>
            <translation>幢号（第 21–24 位）不能为 0000</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="181" />
            <source>Fixture unit number (定着物单元号) 00000000 is only for W (no fixture)</source>
            <translation>定着物单元号 00000000 仅用于 W（无定着物）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="213" />
            <source>The layout must be YYYY-XXXXXX-XX-XX-XXXXXX (24 characters with dashes), found '{}'</source>
            <translation>格式必须为 YYYY-XXXXXX-XX-XX-XXXXXX（含连字符共 24 个字符），实际为“{}”</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="215" />
            <source>2-digit field</source>
            <translation>2 位代码段</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observation_import.py" line="222" />
            <source>time</source>
            <translation>时间</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="235" />
            <source>division code</source>
            <translation>区划代码</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="216" />
            <source>sequence</source>
            <translation>顺序号</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="220" />
            <source>Segment {} ({}) must be {} digits, found '{}'</source>
            <translation>第 {} 段（{}）必须为 {} 位数字，实际为“{}”</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="225" />
            <source>Segment 1 '{}' is neither a year from {} to {} nor a year and month (YYMM)</source>
            <translation>第 1 段“{}”既不是 {}–{} 年间的年份，也不是年月（YYMM）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="227" />
            <source>Segment 2</source>
            <translation>第 2 段</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="235" />
            <source>GB/T 2260 division code</source>
            <translation>GB/T 2260 行政区划代码</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="242" />
            <source>Unified social credit code (GB 32100)</source>
            <translation>统一社会信用代码（GB 32100）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="244" />
            <source>Real estate unit number (GB/T 37346)</source>
            <translation>不动产单元号（GB/T 37346）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="246" />
            <source>Investment project code</source>
            <translation>投资项目代码</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/national_codes.py" line="247" />
            <source>Division code (GB/T 2260)</source>
            <translation>行政区划代码（GB/T 2260）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="34" />
            <source>Building (JGJ/T 246-2012 房屋代码 layout)</source>
            <translation>建筑物（JGJ/T 246-2012 房屋代码结构）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="34" />
            <source>Major project (重大项目)</source>
            <translation>重大项目</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="34" />
            <source>Monitoring point (监测点)</source>
            <translation>监测点</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="34" />
            <source>Building, province-level division (省级)</source>
            <translation>建筑物（省级区划）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="34" />
            <source>Building, prefecture-level division (地级)</source>
            <translation>建筑物（地级区划）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="34" />
            <source>Building, county-level division (县级)</source>
            <translation>建筑物（县级区划）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="34" />
            <source>Building, village-level division (村级)</source>
            <translation>建筑物（村级区划）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="34" />
            <source>Monitoring point, province-level division (省级)</source>
            <translation>监测点（省级区划）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="34" />
            <source>Monitoring point, prefecture-level division (地级)</source>
            <translation>监测点（地级区划）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="34" />
            <source>Monitoring point, county-level division (县级)</source>
            <translation>监测点（县级区划）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="34" />
            <source>Monitoring point, village-level division (村级)</source>
            <translation>监测点（村级区划）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="75" />
            <source>Unknown segment type: {}</source>
            <translation>未知的码段类型：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="77" />
            <source>A sequence counts within division and/or year, not {}</source>
            <translation>顺序号只能按行政区划和/或年份分别计数，不能按 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="82" />
            <source>Unknown check algorithm: {}</source>
            <translation>未知的校验算法：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="85" />
            <source>Segment {} needs a positive length</source>
            <translation>码段 {} 的长度必须为正数</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="119" />
            <source>Profile {} needs exactly one {} segment</source>
            <translation>编码方案 {} 必须恰好包含一个 {} 码段</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="121" />
            <source>The check segment must come last in profile {}</source>
            <translation>编码方案 {} 中校验码段必须位于最后</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="131" />
            <source>Profile is missing the key {}</source>
            <translation>编码方案缺少键 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="179" />
            <source>{} '{}' is not one of the {} codes of profile {}</source>
            <translation>{}“{}”不在允许的 {} 个代码之中（编码方案 {}）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="186" />
            <source>{} {} does not fit the {}-digit segment of profile {}</source>
            <translation>{} {} 无法放入 {} 位码段（编码方案 {}）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="212" />
            <source>Length is {}, profile {} needs {}</source>
            <translation>长度为 {}，编码方案 {} 要求 {} 位</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="219" />
            <source>Characters {}-{} must be '{}', found '{}'</source>
            <translation>第 {}–{} 位应为“{}”，实际为“{}”</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="224" />
            <source>Check character is '{}', expected '{}'</source>
            <translation>校验码为“{}”，应为“{}”</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="226" />
            <source>The {} segment '{}' must be digits</source>
            <translation>{} 码段“{}”必须为数字</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="228" />
            <source>Year {} is out of range</source>
            <translation>年份 {} 超出范围</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="230" />
            <source>Sequence 0 is never issued</source>
            <translation>顺序号 0 不会发放</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="232" />
            <source>Division {} does not exist</source>
            <translation>行政区划 {} 不存在</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="234" />
            <source>Kind {} is not one of {}</source>
            <translation>类型 {} 不在可选类型中：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="252" />
            <source>{} '{}' does not fit the {}-character segment of profile {}</source>
            <translation>{}“{}”无法放入 {} 位码段（编码方案 {}）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/profiles.py" line="274" />
            <source>No code profile named '{}' (known: {})</source>
            <translation>没有名为“{}”的编码方案（现有：{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/validation.py" line="52" />
            <source>Detect from the code's layout</source>
            <translation>按编码结构自动识别</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/validation.py" line="60" />
            <source>Unknown kind of code: {}</source>
            <translation>未知的编码类型：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/codes/validation.py" line="67" />
            <source>The layout matches no known kind of code (length {})</source>
            <translation>编码结构与任何已知类型都不符（长度 {}）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis.py" line="311" />
            <source>Engine: {}</source>
            <translation>计算引擎：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis.py" line="152" />
            <source>Unknown rule '{}': use 'area' or 'centroid'</source>
            <translation>未知规则“{}”：请使用 'area'（面积占比）或 'centroid'（质心）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/assign.py" line="81" />
            <source>The attribute table of {} (its .dbf file) is missing: the buildings have no ids, only their geometry. Restore the .dbf, or allow coding by geometry fingerprint (parameter ALLOW_FINGERPRINTS; the dialog asks). Nothing was changed.</source>
            <translation>{} 的属性表（.dbf 文件）缺失：建筑物没有标识，只有几何图形。请恢复 .dbf，或允许按几何指纹赋码（参数 ALLOW_FINGERPRINTS；对话框中会询问）。未做任何更改。</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/assign.py" line="91" />
            <source>building</source>
            <translation>建筑物</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/assign.py" line="91" />
            <source>division</source>
            <translation>行政区划</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/assign.py" line="93" />
            <source>The {} layer {} has no features: nothing to code. Choose a layer with features; nothing was changed.</source>
            <translation>{}图层 {} 没有要素：无可赋码。请选择有要素的图层；未做任何更改。</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/assign.py" line="102" />
            <source>{}: the attribute table (.dbf) is missing; the buildings are coded by geometry fingerprint, as allowed</source>
            <translation>{}：属性表（.dbf）缺失；已按允许的方式以几何指纹为建筑物赋码</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis.py" line="198" />
            <source>Read {} buildings and {} divisions</source>
            <translation>已读取 {} 个建筑物和 {} 个行政区划</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis.py" line="236" />
            <source>batch {} -&gt; {}</source>
            <translation>批次 {} -&gt; {}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/assign.py" line="234" />
            <source>{} codes issued under the layer name {} were adopted by this dataset</source>
            <translation>有 {} 个以图层名 {} 发放的编码已归入本数据集</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/assign.py" line="237" />
            <source>{} codes issued to these buildings under their former fingerprints (0.01° grid) were carried over to their fingerprints in metres</source>
            <translation>按原几何指纹（0.01° 网格）发给这些建筑物的 {} 个编码已沿用到以米计的新几何指纹</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/assign.py" line="240" />
            <source>{} codes were issued under former fingerprints (0.01° grid) that several of these buildings share: which building had each cannot be told, so they were not carried over; retire them in the code form (History shows them) if they are no longer needed</source>
            <translation>有 {} 个编码是按多个建筑物共有的原几何指纹（0.01° 网格）发放的：无法判断各属于哪栋建筑物，因此未沿用；如不再需要，请在赋码表单中注销（“历史”中可见）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/assign.py" line="245" />
            <source>{} ids of this layer are in the registry under the layer name {} but lie in other divisions: they belong to another dataset and were not used</source>
            <translation>本图层有 {} 个标识以图层名 {} 存在于编码库中，但位于其他行政区划：它们属于其他数据集，未予沿用</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/assign.py" line="248" />
            <source>{} features have a code in the registry of another division than the one they lie in now: listed as conflicts, not coded (see the report)</source>
            <translation>有 {} 个要素在编码库中的编码属于其他行政区划，而非其当前所在区划：已列为冲突，未赋码（见报告）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis.py" line="309" />
            <source>Choose at least one planning layer to check against</source>
            <translation>请至少选择一个规划图层进行核查</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis.py" line="327" />
            <source>Read {} features</source>
            <translation>已读取 {} 个要素</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/building_parts.py" line="74" />
            <source>{} coded as units of their building</source>
            <translation>{} 个作为所属建筑的单元赋码</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/building_parts.py" line="75" />
            <source>left uncoded, as chosen</source>
            <translation>按所选不赋码</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/building_parts.py" line="76" />
            <source>{}: {} building parts ({}): {}; {} without a building found, left uncoded</source>
            <translation>{}：{} 个建筑部件（{}）：{}；{} 个未找到所属建筑，不赋码</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/building_parts.py" line="83" />
            <source>Unknown choice for building parts '{}': use one of {}</source>
            <translation>未知的建筑部件处理方式“{}”：请使用 {} 之一</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/building_parts.py" line="88" />
            <source>A parent field ({}) names each part's building by its id: choose the identity field too</source>
            <translation>父级字段（{}）以编号指明部件所属的建筑：请同时选择标识字段</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/building_parts.py" line="97" />
            <source>field {}</source>
            <translation>字段 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/building_parts.py" line="104" />
            <source>OSM {}</source>
            <translation>OSM {}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/building_parts.py" line="111" />
            <source>{}: row {} is a building part without a building found for it; left uncoded</source>
            <translation>{}：第 {} 行是建筑部件，但未找到其所属建筑；不赋码</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_analysis.py" line="117" />
            <source>The feature has no geometry</source>
            <translation>要素没有几何图形</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_analysis.py" line="120" />
            <source>The division layer {} has no field '{}' (fields: {})</source>
            <translation>行政区划图层 {} 没有字段“{}”（现有字段：{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_analysis.py" line="123" />
            <source>The feature lies outside every division of layer {}</source>
            <translation>要素位于图层 {} 的所有行政区划之外</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_analysis.py" line="138" />
            <source>The division here has no {}-digit code in field '{}' (found '{}')</source>
            <translation>此处的行政区划没有 {} 位区划代码（字段“{}”，实际为“{}”）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_analysis.py" line="165" />
            <source>Choose the division layer</source>
            <translation>请选择行政区划图层</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_analysis.py" line="220" />
            <source>The feature has no geometry and no id: it cannot be coded</source>
            <translation>要素既没有几何图形也没有标识：无法赋码</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_coding.py" line="54" />
            <source>Cannot add the field '{}' to layer {}</source>
            <translation>无法将字段“{}”添加到图层 {}</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="350" />
            <source>No registry is set (CityCode settings)</source>
            <translation>未设置编码库（见城市码设置）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_coding.py" line="161" />
            <source>Feature {} is not in layer {}</source>
            <translation>要素 {} 不在图层 {} 中</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_coding.py" line="174" />
            <source>code form: {}</source>
            <translation>编码表单：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_coding.py" line="199" />
            <source>Select at least two parts to split into</source>
            <translation>请至少选择两个拆分后的部分</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_coding.py" line="216" />
            <source>Select at least two features that have codes to merge</source>
            <translation>请至少选择两个已有编码的要素进行合并</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_coding.py" line="223" />
            <source>Layer {} refused the merged geometry</source>
            <translation>图层 {} 拒绝了合并后的几何图形</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_coding.py" line="279" />
            <source>Layer {} cannot be edited (read-only?); nothing was changed</source>
            <translation>图层 {} 无法编辑（只读？）；未做任何更改</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_coding.py" line="292" />
            <source>Layer {} could not be saved, no code was issued: {}</source>
            <translation>图层 {} 未能保存，未发放任何编码：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_coding.py" line="319" />
            <source>Layer {} refused the value of field '{}'</source>
            <translation>图层 {} 拒绝了字段“{}”的值</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_coding.py" line="334" />
            <source>The registry could not store codes {} that layer {} saved: remove them from the layer</source>
            <translation>编码 {} 已保存到图层 {}，但编码库未能记录：请从图层中删除这些编码</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_coding.py" line="357" />
            <source>No code was issued, the features of layer {} are saved without codes: {}</source>
            <translation>未发放任何编码，图层 {} 的要素已保存但没有编码：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_coding.py" line="372" />
            <source>The registry could not store the codes; they were taken out of layer {}: {}</source>
            <translation>编码库未能记录这些编码，已将其从图层 {} 中移除：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_coding.py" line="378" />
            <source>Layer {} saved with codes {}</source>
            <translation>图层 {} 已保存，编码为 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/feature_coding.py" line="393" />
            <source>Layer {} could not be saved, no code was issued</source>
            <translation>图层 {} 未能保存，未发放任何编码</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/identities.py" line="110" />
            <source>{}: {} features have the identity of an earlier feature and are not coded ({} the same id, {} the same geometry to 1 cm); rows (this=first): {} — see duplicate_id in the report</source>
            <translation>{}：{} 个要素与前面的要素标识相同，未赋码（{} 个标识值相同，{} 个几何图形在 1 厘米精度下相同）；行号（本行=首行）：{} —— 详见报告中的 duplicate_id</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/identities.py" line="116" />
            <source>{}: {} features have no value in the id field {}; their identity is their geometry fingerprint (rows {}{})</source>
            <translation>{}：{} 个要素的标识字段 {} 为空；以其几何指纹作为标识（行 {}{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/input_checks.py" line="55" />
            <source>{}: {} Set the layer's CRS (Layer Properties → Source) and run again; nothing was changed.</source>
            <translation>{}：{}请设置图层的坐标系（图层属性 → 源）后重新运行；未做任何更改。</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/input_checks.py" line="85" />
            <source>{}: coordinates converted from {} to CGCS2000 before use</source>
            <translation>{}：使用前已将坐标从 {} 转换为 CGCS2000</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/input_checks.py" line="101" />
            <source>Division row {}: '{}' is not a {}-digit division code; buildings in it are not coded</source>
            <translation>行政区划第 {} 行：“{}”不是 {} 位区划代码；其中的建筑物未赋码</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/input_checks.py" line="128" />
            <source>Gap between divisions near x={x:.6g}, y={y:.6g} ({area:.0f} m²): buildings there are not coded</source>
            <translation>行政区划之间在 x={x:.6g}, y={y:.6g} 附近有缝隙（{area:.0f} m²）：该处的建筑物未赋码</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/input_checks.py" line="131" />
            <source>Divisions {} and {} overlap near x={{x:.6g}}, y={{y:.6g}} ({{area:.0f}} m²): buildings there go to {}, the first in the layer</source>
            <translation>行政区划 {} 与 {} 在 x={{x:.6g}}, y={{y:.6g}} 附近重叠（{{area:.0f}} m²）：该处的建筑物归入图层中排在前面的 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/input_checks.py" line="234" />
            <source>{}: feature {}{} has coordinates that are not numbers (NaN or infinite); it is left out</source>
            <translation>{}：要素 {}{} 的坐标不是数值（NaN 或无穷大）；已排除该要素</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/input_checks.py" line="243" />
            <source>{}: {} geometry collections; their polygons are used</source>
            <translation>{}：{} 个几何集合；使用其中的面</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/input_checks.py" line="248" />
            <source>{}: {} point and {} line features; buildings are polygons. Choose a polygon layer, or let CityCode code them as point features (parameter NON_POLYGONS_AS_POINTS; lines by their midpoint). Nothing was changed.</source>
            <translation>{}：含 {} 个点要素和 {} 个线要素；建筑物应为面。请选择面图层，或让 CityCode 将其作为点要素赋码（参数 NON_POLYGONS_AS_POINTS；线取其中点）。未做任何更改。</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/input_checks.py" line="258" />
            <source>{}: {} points and {} lines coded as point features (a line by the point halfway along it)</source>
            <translation>{}：{} 个点和 {} 条线作为点要素赋码（线取其长度一半处的点）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/input_checks.py" line="289" />
            <source>Division code {} is on {} polygons (rows {}; together x {:.6g}–{:.6g}, y {:.6g}–{:.6g}): they are coded as one division, with one sequence</source>
            <translation>区划代码 {} 出现在 {} 个面上（行 {}；合计范围 x {:.6g}–{:.6g}，y {:.6g}–{:.6g}）：按同一区划、同一顺序号序列赋码</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis_db.py" line="174" />
            <source>Canceled; nothing was changed</source>
            <translation>已取消，未做任何更改</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/jobs.py" line="140" />
            <source>The division layer has no field '{}' (fields: {}); choose the field that holds the division code</source>
            <translation>行政区划图层没有字段“{}”（现有字段：{}）；请选择存放区划代码的字段</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/jobs.py" line="163" />
            <source>The output cannot be the registry (or field package) {}: choose another output file. Nothing was changed.</source>
            <translation>输出不能是编码库（或外业包）{}：请选择其他输出文件。未做任何更改。</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/jobs.py" line="191" />
            <source>Removed {} temporary files left by runs that were stopped: {}</source>
            <translation>已删除被中止的运行遗留的 {} 个临时文件：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/jobs.py" line="202" />
            <source>The folder {} of the output cannot be made: {}. Nothing was changed.</source>
            <translation>无法创建输出所在的文件夹 {}：{}。未做任何更改。</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/jobs.py" line="205" />
            <source>The folder {} of the output cannot be written (permissions). Nothing was changed.</source>
            <translation>输出所在的文件夹 {} 不可写入（权限不足）。未做任何更改。</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/jobs.py" line="223" />
            <source>The disk of {} is full: {:.1f} MB free, the output needs at least {:.1f} MB. Nothing was changed; free some space and run again.</source>
            <translation>{} 所在的磁盘已满：剩余 {:.1f} MB，输出至少需要 {:.1f} MB。未做任何更改；请释放一些空间后重新运行。</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/jobs.py" line="259" />
            <source>Canceled while waiting for the registry; nothing was changed</source>
            <translation>在等待编码库时已取消；未做任何更改</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/jobs.py" line="261" />
            <source>Waiting for the registry, held by {} ({:.0f} s)</source>
            <translation>正在等待编码库，当前由 {} 占用（{:.0f} 秒）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/jobs.py" line="269" />
            <source>the disk is full</source>
            <translation>磁盘已满</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/jobs.py" line="270" />
            <source>The output {} could not be written: {}. An earlier output was left as it was. The registry keeps the {} new codes of this run: run it again once that is solved, and the same features get the same codes.</source>
            <translation>输出 {} 无法写入：{}。先前的输出保持原样。编码库保留了本次运行的 {} 个新编码：问题解决后请重新运行，相同的要素将获得相同的编码。</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/jobs.py" line="277" />
            <source>Field {} is named {} in the shapefile (at most 10 bytes)</source>
            <translation>字段 {} 在 shapefile 中名为 {}（字段名最多 10 字节）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis.py" line="266" />
            <source>Registry {}: {} new codes, {} existing</source>
            <translation>编码库 {}：新发编码 {} 个，沿用编码 {} 个</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/json_fields.py" line="58" />
            <source>{}: fields {} hold nested or mixed JSON values (objects, arrays); they are written as JSON text, one field each, not flattened, so every value is kept whole</source>
            <translation>{}：字段 {} 含有嵌套或类型混杂的 JSON 值（对象、数组）；每个字段按 JSON 文本写出，不展开为多列，因此每个值都完整保留</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="534" />
            <source>Cannot write {}: {}</source>
            <translation>无法写入 {}：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/monitoring.py" line="181" />
            <source>Layer {} has no field '{}' (fields: {})</source>
            <translation>图层 {} 没有字段“{}”（现有字段：{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="75" />
            <source>File not found: {}</source>
            <translation>找不到文件：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="293" />
            <source>{}: text read as {} (chosen)</source>
            <translation>{}：文本按 {} 读取（用户指定）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="252" />
            <source>Cannot read {}: {}</source>
            <translation>无法读取 {}：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/layers.py" line="158" />
            <source>Cannot read the text of {}: its encoding is not {}. Run 'Detect and repair text encoding' on it, or choose its encoding there</source>
            <translation>无法读取 {} 的文本：其字符编码不是 {}。请对其运行“检测并修复字符编码”，或在该工具中选择其字符编码</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/layers.py" line="205" />
            <source>unknown GDAL error</source>
            <translation>未知的 GDAL 错误</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/layers.py" line="244" />
            <source>it has no layer {}</source>
            <translation>其中没有图层 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/layers.py" line="335" />
            <source>Cannot open {} as a vector layer</source>
            <translation>无法将 {} 作为矢量图层打开</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis.py" line="97" />
            <source>not every input layer is a PostGIS table</source>
            <translation>并非所有输入图层都是 PostGIS 表</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis.py" line="99" />
            <source>only selected features or a limited number of them are to be used</source>
            <translation>只使用所选要素或限定数量的要素</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis.py" line="101" />
            <source>a layer has unsaved edits</source>
            <translation>有图层存在未保存的编辑</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis.py" line="103" />
            <source>a layer's CRS was set in QGIS, different from its table's</source>
            <translation>有图层在 QGIS 中设置的坐标系与其数据表的坐标系不同</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis.py" line="105" />
            <source>the engine {} was chosen</source>
            <translation>选择了计算引擎 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis.py" line="107" />
            <source>a layer's coordinates are to be moved from GCJ-02/BD-09</source>
            <translation>有图层的坐标需要从 GCJ-02/BD-09 转换</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis.py" line="109" />
            <source>the registry is not a PostgreSQL registry (in the database of the layers)</source>
            <translation>编码库不是（图层所在数据库中的）PostgreSQL 编码库</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis.py" line="111" />
            <source>the output is a file; choose a PostGIS table (or OUTPUT_TABLE) to run in the database</source>
            <translation>输出为文件；如需在数据库内运行，请选择 PostGIS 表（或 OUTPUT_TABLE）作为输出</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis.py" line="167" />
            <source>Table {} is not in the database of the registry</source>
            <translation>表 {} 不在编码库所在的数据库中</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis.py" line="323" />
            <source>The output table {}.{} is one of the inputs; choose another</source>
            <translation>输出表 {}.{} 是输入之一；请选择其他输出表</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis.py" line="321" />
            <source>Table {} is not in the database of the buildings</source>
            <translation>表 {} 不在建筑物所在的数据库中</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis_codes.py" line="26" />
            <source>The check algorithm {} is not available inside the database</source>
            <translation>核查算法 {} 无法在数据库内运行</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis_db.py" line="54" />
            <source>Cannot connect to the database of the layers: {}</source>
            <translation>无法连接图层所在的数据库：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis_db.py" line="156" />
            <source>PostGIS is not installed in the database of the layers</source>
            <translation>图层所在的数据库未安装 PostGIS</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis_db.py" line="187" />
            <source>The database could not run the job; nothing was changed: {}</source>
            <translation>数据库未能执行该任务；未做任何更改：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis_steps.py" line="32" />
            <source>Table {} not found</source>
            <translation>找不到表 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis_steps.py" line="43" />
            <source>Table {} has no single-column primary key</source>
            <translation>表 {} 没有单列主键</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis_steps.py" line="56" />
            <source>Table {} has no CRS (SRID 0)</source>
            <translation>表 {} 没有坐标系（SRID 为 0）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis_steps.py" line="92" />
            <source>The work CRS EPSG:{} is missing from spatial_ref_sys</source>
            <translation>spatial_ref_sys 中缺少工作坐标系 EPSG:{}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/postgis_steps.py" line="150" />
            <source>Table {} has no geometry column {}</source>
            <translation>表 {} 没有几何列 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="72" />
            <source>the same geometry (to 1 cm) as row {}</source>
            <translation>与第 {} 行几何图形相同（1 厘米精度）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="72" />
            <source>the same id as row {}</source>
            <translation>与第 {} 行标识相同</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="102" />
            <source>CityCode coding report</source>
            <translation>城市码赋码报告</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="141" />
            <source>CityCode planning overlay report</source>
            <translation>城市码规划叠加分析报告</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="183" />
            <source>CityCode monitoring points report</source>
            <translation>城市码监测点报告</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="215" />
            <source>Features</source>
            <translation>要素总数</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="215" />
            <source>Coded</source>
            <translation>已赋码</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/report.py" line="58" />
            <source>New codes</source>
            <translation>新发编码</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="217" />
            <source>Existing codes (re-run)</source>
            <translation>沿用编码（重复运行）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="218" />
            <source>Straddling a division border</source>
            <translation>跨越区划界线</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="292" />
            <source>Partly outside every division</source>
            <translation>部分位于行政区划之外</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="220" />
            <source>Outside every division (not coded)</source>
            <translation>位于所有行政区划之外（未赋码）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="221" />
            <source>No geometry (not coded)</source>
            <translation>无几何图形（未赋码）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="222" />
            <source>Invalid geometry, repaired</source>
            <translation>几何图形无效，已修复</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="223" />
            <source>Duplicate id (not coded)</source>
            <translation>标识重复（未赋码）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="224" />
            <source>Coordinates that are not numbers (not coded)</source>
            <translation>坐标不是数值（未赋码）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="225" />
            <source>Sequence used up (not coded)</source>
            <translation>顺序号已用尽（未赋码）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="226" />
            <source>In a division without a usable code (not coded)</source>
            <translation>所在行政区划没有可用代码（未赋码）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="227" />
            <source>Registry code of another division (conflict, not coded)</source>
            <translation>编码库中为其他行政区划的编码（冲突，未赋码）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="228" />
            <source>Year missing or implausible, default used</source>
            <translation>年份缺失或不合理，已使用默认年份</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="229" />
            <source>Building parts (no building number of their own)</source>
            <translation>建筑部件（不单独占用建筑顺序号）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="230" />
            <source>Building parts coded as units of their building</source>
            <translation>作为所属建筑单元赋码的建筑部件</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="231" />
            <source>Not coded</source>
            <translation>未赋码</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="232" />
            <source>Rows not imported (see below)</source>
            <translation>未导入的行（见下文）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="233" />
            <source>Kind not recognised, default kind used</source>
            <translation>类型无法识别，已使用默认类型</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="234" />
            <source>Observations in the file</source>
            <translation>文件中的监测数据</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="235" />
            <source>Observations added</source>
            <translation>新增监测数据</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="236" />
            <source>Observations already stored</source>
            <translation>已存在的监测数据</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="237" />
            <source>Conflicts with stored values</source>
            <translation>与已存值冲突</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="238" />
            <source>Rows of unknown points</source>
            <translation>点位未知的行</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="239" />
            <source>Unreadable or repeated rows</source>
            <translation>无法读取或重复的行</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="240" />
            <source>Exceedances</source>
            <translation>超标数据</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="255" />
            <source>{} codes issued under the layer name adopted</source>
            <translation>{} 个以图层名发放的编码已归入本数据集</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="257" />
            <source>{} codes under the layer name lie in other divisions: another dataset's, not used</source>
            <translation>{} 个以图层名发放的编码位于其他行政区划：属于其他数据集，未予沿用</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="267" />
            <source>Output: {}</source>
            <translation>输出：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="320" />
            <source>Registry: {}</source>
            <translation>编码库：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="272" />
            <source>Summary</source>
            <translation>汇总</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="275" />
            <source>Per division</source>
            <translation>按行政区划统计</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="279" />
            <source>Planning layers</source>
            <translation>规划图层</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="284" />
            <source>Rows not imported</source>
            <translation>未导入的行</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="287" />
            <source>Kinds not recognised (default kind used)</source>
            <translation>无法识别的类型（已使用默认类型）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="290" />
            <source>Planning zones at the points</source>
            <translation>点位所在规划分区</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="295" />
            <source>Raster values at the points</source>
            <translation>点位栅格值</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="300" />
            <source>Input checks</source>
            <translation>输入数据检查</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="303" />
            <source>Straddling buildings</source>
            <translation>跨界建筑物</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="303" />
            <source>Outside every division</source>
            <translation>位于所有行政区划之外</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="27" />
            <source>No geometry</source>
            <translation>无几何图形</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="303" />
            <source>Repaired geometries</source>
            <translation>已修复的几何图形</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="303" />
            <source>Duplicate ids</source>
            <translation>标识重复</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="303" />
            <source>Coordinates that are not numbers (NaN, inf; not coded)</source>
            <translation>坐标不是数值（NaN、无穷大；未赋码）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="303" />
            <source>No id: coded by geometry fingerprint</source>
            <translation>无标识：按几何指纹赋码</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="303" />
            <source>Sequence used up</source>
            <translation>顺序号已用尽</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="303" />
            <source>In a division without a usable code</source>
            <translation>所在行政区划没有可用代码</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="303" />
            <source>Registry code of another division (conflicts, not coded)</source>
            <translation>编码库中为其他行政区划的编码（冲突，未赋码）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine/report.py" line="317" />
            <source>Conflicts with {}</source>
            <translation>与 {} 冲突</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/checkin.py" line="118" />
            <source>Check a package in to the shared registry, not into another field package</source>
            <translation>请将外业包检入共享编码库，而不是检入另一个外业包</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/checkin.py" line="126" />
            <source>Field package {}: {} new codes, {} updated, {} retired, {} conflicts, {} already checked in</source>
            <translation>外业包 {}：新发编码 {} 个，更新 {} 个，注销 {} 个，冲突 {} 个，此前已检入 {} 个</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/checkin.py" line="130" />
            <source>{} changes were not applied because the registry changed the same codes since the check-out; both versions are kept until you resolve them</source>
            <translation>有 {} 处改动未应用，因为检出后编码库中的相同编码也有改动；两个版本都会保留，直到您解决冲突</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/checkin.py" line="146" />
            <source>The features written to layer {} could not be recorded in the registry: {}</source>
            <translation>已写入图层 {} 的要素未能记录到编码库：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/checkin.py" line="153" />
            <source>The registry part of the check-in is saved ({} new codes, {} updated, {} retired), but not all features could be written: {} What the layer did not save was rolled back. Fix this and run the check-in again: the registry part is not repeated, and the features still missing are written then (none twice).</source>
            <translation>检入的编码库部分已保存（新发编码 {} 个，更新 {} 个，注销 {} 个），但未能写入全部要素：{}图层未保存的内容已回滚。请解决此问题后再次运行检入：编码库部分不会重复执行，届时将写入仍缺失的要素（不会重复写入）。</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/checkout.py" line="68" />
            <source>The package cannot be written over the registry it is checked out from</source>
            <translation>外业包不能覆盖其检出来源的编码库</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/checkout.py" line="70" />
            <source>Choose the area of the package: division codes or an extent</source>
            <translation>请选择外业包的区域：区划代码或范围</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/checkout.py" line="76" />
            <source>Choose at least one code profile to reserve sequence numbers for</source>
            <translation>请至少选择一个编码方案以预留顺序号</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/checkout.py" line="91" />
            <source>The division layer has no division {}</source>
            <translation>行政区划图层中没有区划 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/checkout.py" line="101" />
            <source>No division with a code lies in the chosen area</source>
            <translation>所选区域内没有带代码的行政区划</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/checkout.py" line="102" />
            <source>Area: {} divisions ({})</source>
            <translation>区域：{} 个行政区划（{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/checkout.py" line="134" />
            <source>Check out from the shared registry, not from another field package</source>
            <translation>请从共享编码库检出，而不是从另一个外业包检出</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/checkout.py" line="139" />
            <source>Reserved {} blocks of {} sequence numbers</source>
            <translation>已预留 {} 个号段，每段 {} 个顺序号</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/checkout.py" line="152" />
            <source>Field package {} written to {}</source>
            <translation>外业包 {} 已写入 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/checkout.py" line="237" />
            <source>Sequence numbers reserved for this field package</source>
            <translation>为此外业包预留的顺序号</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/features.py" line="124" />
            <source>The layer {} to write the features back to cannot be opened; give the check-in another target layer. Nothing was checked in.</source>
            <translation>无法打开要写回要素的图层 {}；请为检入指定其他目标图层。未检入任何内容。</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/features.py" line="131" />
            <source>The layer {} cannot be written (a read-only file or database table, or a format QGIS cannot edit); make it writable or give the check-in another target layer. Nothing was checked in.</source>
            <translation>图层 {} 无法写入（只读文件或数据库表，或 QGIS 无法编辑的格式）；请使其可写，或为检入指定其他目标图层。未检入任何内容。</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/features.py" line="135" />
            <source>The layer {} has no {} field to find the package's features by; give the check-in the coded layer. Nothing was checked in.</source>
            <translation>图层 {} 没有 {} 字段，无法据此匹配外业包中的要素；请为检入指定已赋码图层。未检入任何内容。</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/features.py" line="166" />
            <source>Layer {} cannot be edited.</source>
            <translation>图层 {} 无法编辑。</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/features.py" line="183" />
            <source>Layer {} could not be saved: {}.</source>
            <translation>图层 {} 未能保存：{}。</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/features.py" line="183" />
            <source>it refused the edits</source>
            <translation>图层拒绝了这些编辑</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/features.py" line="230" />
            <source>This package was checked out by an older CityCode that did not record its features' layers: only the registry was checked in.</source>
            <translation>此外业包由旧版城市码检出，旧版未记录要素所属的图层：仅检入了编码库部分。</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/features.py" line="240" />
            <source>The package has no layer of features named {} (it has: {}). Nothing was checked in.</source>
            <translation>外业包中没有名为 {} 的要素图层（现有：{}）。未检入任何内容。</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/features.py" line="249" />
            <source>The features of layer {} were not written back: it did not come from a layer CityCode can write to; check in again with a target layer for it.</source>
            <translation>图层 {} 的要素未写回：它并非来自城市码可写入的图层；请为其指定目标图层后再次检入。</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/features.py" line="254" />
            <source>The package's layer {} cannot be read. Nothing was checked in.</source>
            <translation>无法读取外业包中的图层 {}。未检入任何内容。</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/features.py" line="301" />
            <source>Layer {}: {} features added, {} updated, {} conflicts</source>
            <translation>图层 {}：新增要素 {} 个，更新 {} 个，冲突 {} 个</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/features.py" line="304" />
            <source>; {} features wait for their codes' conflicts to be resolved (check in again then): {}</source>
            <translation>；有 {} 个要素正等待其编码冲突解决（解决后请再次检入）：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/features.py" line="307" />
            <source>; {} features were not added: the registry kept its own code for them ({})</source>
            <translation>；有 {} 个要素未添加：编码库为其保留了原有编码（{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/features.py" line="310" />
            <source>; {} features without a code were not written back (code them, then check in again)</source>
            <translation>；有 {} 个无编码的要素未写回（请先赋码，再重新检入）</translation>
        </message>
        <message>
            <location filename="plugin/core/fieldwork/package.py" line="50" />
            <source>{} is not a CityCode field package</source>
            <translation>{} 不是城市码外业包</translation>
        </message>
        <message>
            <location filename="plugin/core/output/code_cards.py" line="95" />
            <source>Codes not found in the layer: {}</source>
            <translation>图层中找不到以下编码：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/output/code_cards.py" line="97" />
            <source>No coded feature of division {} to make a card for</source>
            <translation>行政区划 {} 中没有可制作编码卡的已赋码要素</translation>
        </message>
        <message>
            <location filename="plugin/core/output/code_cards.py" line="97" />
            <source>No coded feature to make a card for</source>
            <translation>没有可制作编码卡的已赋码要素</translation>
        </message>
        <message>
            <location filename="plugin/core/output/maps.py" line="109" />
            <source>The division layer has no field named '{}'</source>
            <translation>行政区划图层没有名为“{}”的字段</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="140" />
            <source>An Excel sheet holds at most {} rows; the layer has {}. Export to CSV or GeoPackage instead.</source>
            <translation>Excel 工作表最多容纳 {} 行，而该图层有 {} 行。请改为导出为 CSV 或 GeoPackage。</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="163" />
            <source>Canceled; nothing was written.</source>
            <translation>已取消，未写入任何内容。</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="189" />
            <source>Unknown export format '{}': use one of {}</source>
            <translation>未知的导出格式“{}”：请使用以下之一：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="191" />
            <source>A {} file must end with {}: {}</source>
            <translation>{} 文件的扩展名必须为 {}：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="195" />
            <source>The folder {} does not exist; create it or choose another</source>
            <translation>文件夹 {} 不存在；请先创建，或选择其他文件夹</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="197" />
            <source>Unknown encoding '{}': use one of {}</source>
            <translation>未知的字符编码“{}”：请使用以下之一：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="268" />
            <source>Features: {}</source>
            <translation>涉及要素：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="268" />
            <source>and {} more</source>
            <translation>等，另有 {} 个</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="291" />
            <source>Field {}: shapefiles have no date-time type; written as text (YYYY-MM-DDThh:mm:ss).</source>
            <translation>字段 {}：Shapefile 没有日期时间类型，已按文本写入（YYYY-MM-DDThh:mm:ss）。</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="315" />
            <source>Field {}: {} values longer than {} bytes cut to fit a shapefile.</source>
            <translation>字段 {}：有 {} 个值超过 {} 字节，为适应 Shapefile 已截断。</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="321" />
            <source>Field {}: {} values hold characters {} cannot hold ({}); written with '?' in their place.</source>
            <translation>字段 {}：有 {} 个值含有 {} 无法表示的字符（{}）；这些字符已写为“?”。</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="325" />
            <source>field {}: {} values ({})</source>
            <translation>字段 {}：{} 个值（{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="327" />
            <source>Some text cannot be written in {}: {}. Export in UTF-8, or accept '?' in place of those characters; nothing was written.</source>
            <translation>部分文本无法以 {} 写入：{}。请以 UTF-8 导出，或接受以“?”代替这些字符；未写入任何内容。</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="333" />
            <source>Field names that cannot be written in {}: {}. Rename them or export in UTF-8.</source>
            <translation>以下字段名无法以 {} 写入：{}。请重命名这些字段，或以 UTF-8 导出。</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="339" />
            <source>Field {} is named {} in the shapefile (at most 10 bytes); see the .fields.csv beside it.</source>
            <translation>字段 {} 在 Shapefile 中名为 {}（字段名最多 10 字节）；对照表见同目录下的 .fields.csv。</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="376" />
            <source>The shapefile would be about {:.1f} GB (.shp) and {:.1f} GB (.dbf); shapefiles hold at most 2 GB per file. Export to GeoPackage, or fewer features or fields; nothing was written.</source>
            <translation>该 Shapefile 约为 {:.1f} GB（.shp）和 {:.1f} GB（.dbf），而 Shapefile 每个文件最大 2 GB。请导出为 GeoPackage，或减少要素或字段；未写入任何内容。</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="395" />
            <source>Field {}: {} values Excel would turn into numbers, dates or formulas written as ="..." so Excel keeps them as text.</source>
            <translation>字段 {}：{} 个值会被 Excel 转为数字、日期或公式，已写为 ="..."，使 Excel 将其保留为文本。</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="406" />
            <source>Field {}: {} values are digits Excel spoils when it opens the CSV (12 digits or more show as e.g. 3.4E+22 and are saved so, leading zeros go); GIS programs read them right (.csvt). For Excel, export XLSX or tick 'CSV for Excel'.</source>
            <translation>字段 {}：{} 个值为数字串，Excel 打开此 CSV 时会将其改坏（12 位及以上的显示为 3.4E+22 之类，并按此保存；前导零丢失）；GIS 软件可正确读取（.csvt）。如需在 Excel 中使用，请导出 XLSX，或勾选“CSV 供 Excel 使用”。</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="451" />
            <source>{} has no CRS: set the layer's CRS before exporting it in {}</source>
            <translation>{} 没有坐标系：请先设置图层的坐标系，再以 {} 格式导出</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="456" />
            <source>Coordinates written in {} lon/lat (from {}).</source>
            <translation>坐标已按 {} 经纬度写出（由 {} 转换）。</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="458" />
            <source>CGCS2000 and WGS84 differ by centimetres, below what the data can tell: no datum shift is applied.</source>
            <translation>CGCS2000 与 WGS84 仅差厘米级，低于数据本身的精度：未做坐标基准转换。</translation>
        </message>
        <message>
            <location filename="plugin/core/output/exports.py" line="462" />
            <source>GCJ-02 is AMap/Tencent's offset datum, hundreds of metres off the true position; the file is labelled EPSG:4326 as web maps expect. Do not overlay it with survey data.</source>
            <translation>GCJ-02 是高德/腾讯使用的加偏坐标基准，与真实位置相差数百米；按网络地图的惯例，文件标注为 EPSG:4326。请勿将其与测绘数据叠加。</translation>
        </message>
        <message>
            <location filename="plugin/core/output/layouts.py" line="331" />
            <source>Layout template not found: {}</source>
            <translation>找不到出图模板：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/output/layouts.py" line="346" />
            <source>{} is not a layout template (.qpt)</source>
            <translation>{} 不是出图模板（.qpt）</translation>
        </message>
        <message>
            <location filename="plugin/core/output/layouts.py" line="348" />
            <source>The layout template {} has no map item with the id 'map'</source>
            <translation>出图模板 {} 中没有 id 为 'map' 的地图项</translation>
        </message>
        <message>
            <location filename="plugin/core/output/maps.py" line="87" />
            <source>Unknown map mode: {}</source>
            <translation>未知的出图方式：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/output/maps.py" line="90" />
            <source>The buildings layer is not valid</source>
            <translation>建筑物图层无效</translation>
        </message>
        <message>
            <location filename="plugin/core/output/maps.py" line="92" />
            <source>The buildings layer has no code field '{}': run Assign codes first</source>
            <translation>建筑物图层没有编码字段“{}”：请先赋码</translation>
        </message>
        <message>
            <location filename="plugin/core/output/maps.py" line="95" />
            <source>An atlas per division needs the division layer</source>
            <translation>按行政区划输出图集需要行政区划图层</translation>
        </message>
        <message>
            <location filename="plugin/core/output/maps.py" line="97" />
            <source>No Chinese font found ({}): Chinese text may print as boxes; install one, e.g. fonts-noto-cjk</source>
            <translation>未找到中文字体（{}）：中文可能打印为方框；请安装中文字体，如 fonts-noto-cjk</translation>
        </message>
        <message>
            <location filename="plugin/core/output/maps.py" line="132" />
            <source>{:,} code cards would print {:,} pages (one A5 page each): choose features, codes or a division, or confirm that you want them all</source>
            <translation>{:,} 张编码卡将打印 {:,} 页（每张一页 A5）：请选择要素、编码或行政区划，或确认全部打印</translation>
        </message>
        <message>
            <location filename="plugin/core/output/maps.py" line="191" />
            <source>Nothing to put on the pages: the atlas has no features</source>
            <translation>没有可出图的内容：图集中没有要素</translation>
        </message>
        <message>
            <location filename="plugin/core/output/maps.py" line="206" />
            <source>Unknown output format: {}</source>
            <translation>未知的输出格式：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/output/maps.py" line="243" />
            <source>Canceled</source>
            <translation>已取消</translation>
        </message>
        <message>
            <location filename="plugin/core/output/maps.py" line="245" />
            <source>The map could not be written to {}: {}</source>
            <translation>无法将地图写入 {}：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/loader.py" line="82" />
            <source>{} has no cells with 用地用海 codes: it is shown as it is</source>
            <translation>{} 没有值为用地用海代码的像元：按原样显示</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/loader.py" line="101" />
            <source>Style {} could not be applied to {}: {}</source>
            <translation>无法将样式 {} 应用到 {}：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/loader.py" line="108" />
            <source>{} has no field with 用地用海 codes: its features are not coloured</source>
            <translation>{} 没有存放用地用海代码的字段：其要素未着色</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/loader.py" line="137" />
            <source>{} could not be opened: {}</source>
            <translation>无法打开 {}：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/recognition.py" line="149" />
            <source>layer name '{}' matches '{}'</source>
            <translation>图层名“{}”匹配“{}”</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/recognition.py" line="152" />
            <source>title '{}' matches '{}'</source>
            <translation>标题“{}”匹配“{}”</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/recognition.py" line="159" />
            <source>fields {} are those of a {} layer in the 三区三线 database</source>
            <translation>字段 {} 与三区三线数据库中{}图层的字段一致</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/recognition.py" line="166" />
            <source>field {} holds values such as '{}'</source>
            <translation>字段 {} 含有“{}”等值</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/recognition.py" line="176" />
            <source>{share:.0%} of the cell values are 用地用海 codes (e.g. {examples})</source>
            <translation>{share:.0%} 的像元值为用地用海代码（如 {examples}）</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/recognition.py" line="178" />
            <source>{share:.0%} of the values of field {field} are 用地用海 codes (e.g. {examples})</source>
            <translation>字段 {field} 中 {share:.0%} 的值为用地用海代码（如 {examples}）</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/recognition.py" line="181" />
            <source>but its cells are not 用地用海 codes, so it cannot be coloured by class</source>
            <translation>但其像元值不是用地用海代码，无法按类别着色</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/recognition.py" line="182" />
            <source>but no field holds 用地用海 codes, so the style cannot colour it</source>
            <translation>但没有字段存放用地用海代码，无法按样式着色</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/recognition.py" line="188" />
            <source>its cells are 0 and 1: a mask</source>
            <translation>像元值只有 0 和 1：是掩膜</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/recognition.py" line="193" />
            <source>raster named like a planning layer ('{}')</source>
            <translation>名称类似规划图层的栅格（“{}”）</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/recognition.py" line="195" />
            <source>nothing in its name, title or cell values marks this raster as a planning layer</source>
            <translation>名称、标题和像元值均未表明此栅格是规划图层</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/recognition.py" line="198" />
            <source>nothing in its name, title, fields or values marks it as a planning layer</source>
            <translation>名称、标题、字段和值均未表明它是规划图层</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/recognition.py" line="205" />
            <source>also looks like: {}</source>
            <translation>也可能是：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/sources.py" line="202" />
            <source>QGIS cannot open this layer</source>
            <translation>QGIS 无法打开此图层</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/standard.py" line="42" />
            <source>Ecological protection red line</source>
            <translation>生态保护红线</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/standard.py" line="43" />
            <source>Permanent basic farmland</source>
            <translation>永久基本农田</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/standard.py" line="44" />
            <source>Urban development boundary</source>
            <translation>城镇开发边界</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/standard.py" line="45" />
            <source>Land and sea use</source>
            <translation>用地用海</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/standard.py" line="46" />
            <source>Planning raster</source>
            <translation>规划栅格</translation>
        </message>
        <message>
            <location filename="plugin/core/planning/standard.py" line="47" />
            <source>Not a planning layer</source>
            <translation>非规划图层</translation>
        </message>
        <message>
            <location filename="plugin/core/points/columns.py" line="86" />
            <source>by name</source>
            <translation>按列名识别</translation>
        </message>
        <message>
            <location filename="plugin/core/points/columns.py" line="86" />
            <source>by value</source>
            <translation>按数值识别</translation>
        </message>
        <message>
            <location filename="plugin/core/points/columns.py" line="86" />
            <source>chosen</source>
            <translation>用户指定</translation>
        </message>
        <message>
            <location filename="plugin/core/points/columns.py" line="87" />
            <source>the point geometries</source>
            <translation>取自点几何</translation>
        </message>
        <message>
            <location filename="plugin/core/points/columns.py" line="90" />
            <source>Coordinates: both in column '{}' ({})</source>
            <translation>坐标：经纬度均在“{}”列中（{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/columns.py" line="92" />
            <source>Coordinates: x (longitude or easting) '{}', y (latitude or northing) '{}' ({})</source>
            <translation>坐标：x（经度或东坐标）为“{}”列，y（纬度或北坐标）为“{}”列（{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/columns.py" line="97" />
            <source>Name: column '{}'</source>
            <translation>名称：“{}”列</translation>
        </message>
        <message>
            <location filename="plugin/core/points/columns.py" line="102" />
            <source>'{}' holds the eastings and '{}' the northings (the surveying convention: X is the northing)</source>
            <translation>“{}”列为东坐标，“{}”列为北坐标（测量惯例：X 为北坐标）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observation_import.py" line="218" />
            <source>{} has no column '{}' (columns: {})</source>
            <translation>{} 中没有“{}”列（现有列：{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/columns.py" line="195" />
            <source>{}: no coordinate columns found (columns: {}). Choose the longitude and latitude columns</source>
            <translation>{}：未找到坐标列（现有列：{}）。请指定经度列和纬度列</translation>
        </message>
        <message>
            <location filename="plugin/core/points/coordinates.py" line="64" />
            <source>not a coordinate</source>
            <translation>不是坐标</translation>
        </message>
        <message>
            <location filename="plugin/core/points/coordinates.py" line="171" />
            <source>minutes must be less than 60</source>
            <translation>分必须小于 60</translation>
        </message>
        <message>
            <location filename="plugin/core/points/coordinates.py" line="172" />
            <source>seconds must be less than 60</source>
            <translation>秒必须小于 60</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="97" />
            <source>Unknown coordinate format '{}': use one of {}</source>
            <translation>未知的坐标格式“{}”：请使用以下之一：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/coordinates.py" line="183" />
            <source>N/S marks a latitude, not a longitude</source>
            <translation>N/S 用于标记纬度，而不是经度</translation>
        </message>
        <message>
            <location filename="plugin/core/points/coordinates.py" line="185" />
            <source>E/W marks a longitude, not a latitude</source>
            <translation>E/W 用于标记经度，而不是纬度</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="261" />
            <source>latitude out of range (-90 to 90)</source>
            <translation>纬度超出范围（-90 至 90）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/coordinates.py" line="189" />
            <source>longitude out of range (-180 to 180)</source>
            <translation>经度超出范围（-180 至 180）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/coordinates.py" line="245" />
            <source>'{}': {}, like the other coordinate column</source>
            <translation>“{}”：{}，与另一坐标列相同</translation>
        </message>
        <message>
            <location filename="plugin/core/points/coordinates.py" line="270" />
            <source>'{}': degrees.minutes (116.2030 = 116°20.30′): all {} values have minutes below 60, and as decimal degrees none would lie in the .60-.99 part of any degree from {:.2f} to {:.2f} (chance {:.1e})</source>
            <translation>“{}”：度.分格式（116.2030 = 116°20.30′）：全部 {} 个值的分均小于 60；若为十进制度，在 {:.2f} 至 {:.2f} 之间应有值落在某度的 .60–.99 部分，实际却一个也没有（偶然如此的概率为 {:.1e}）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/coordinates.py" line="277" />
            <source>{}: the values look like degrees and minutes, but could be degrees.minutes or packed degrees.minutes.seconds; read as decimal degrees — choose the format if that is wrong</source>
            <translation>{}：这些值看似度分格式，但既可能是度.分，也可能是度.分秒连写；已按十进制度读取——如有误，请指定坐标格式</translation>
        </message>
        <message>
            <location filename="plugin/core/points/coordinates.py" line="290" />
            <source>'{}': packed degrees.minutes.seconds (116.2030 = 116°20′30″), as its header says</source>
            <translation>“{}”：按表头所示，为度.分秒连写格式（116.2030 = 116°20′30″）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/coordinates.py" line="294" />
            <source>'{}': degrees.minutes (116.2030 = 116°20.30′), as its header says</source>
            <translation>“{}”：按表头所示，为度.分格式（116.2030 = 116°20.30′）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/coordinates.py" line="309" />
            <source>decimal degrees</source>
            <translation>十进制度</translation>
        </message>
        <message>
            <location filename="plugin/core/points/coordinates.py" line="309" />
            <source>degrees.minutes</source>
            <translation>度.分</translation>
        </message>
        <message>
            <location filename="plugin/core/points/coordinates.py" line="310" />
            <source>packed degrees.minutes.seconds</source>
            <translation>度.分秒连写</translation>
        </message>
        <message>
            <location filename="plugin/core/points/monitoring.py" line="105" />
            <source>Layer {} holds lines or polygons, not points; code them with Assign codes</source>
            <translation>图层 {} 中是线或面，而不是点；请用“统一赋码”为其赋码</translation>
        </message>
        <message>
            <location filename="plugin/core/points/monitoring.py" line="109" />
            <source>Layer {} has no CRS; set it and run again</source>
            <translation>图层 {} 没有坐标系；请设置后重新运行</translation>
        </message>
        <message>
            <location filename="plugin/core/points/monitoring.py" line="114" />
            <source>no geometry</source>
            <translation>无几何图形</translation>
        </message>
        <message>
            <location filename="plugin/core/points/monitoring.py" line="137" />
            <source>Kind '{}' is not one of {}</source>
            <translation>类型“{}”不在可选类型中：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/monitoring.py" line="178" />
            <source>Line {}: {}</source>
            <translation>第 {} 行：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/monitoring.py" line="183" />
            <source>Read {} points ({} rows not imported)</source>
            <translation>已读取 {} 个点位（{} 行未导入）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/monitoring.py" line="190" />
            <source>Profile {} has no kind segment: monitoring points need the point profile or one like it</source>
            <translation>编码方案 {} 没有类型码段：监测点需要使用监测点编码方案或与之类似的方案</translation>
        </message>
        <message>
            <location filename="plugin/core/points/monitoring.py" line="202" />
            <source>Kind '{}' ({} points) names no kind of the profile: coded as {}</source>
            <translation>“{}”（{} 个点位）不对应编码方案中的任何类型：按类型 {} 赋码</translation>
        </message>
        <message>
            <location filename="plugin/core/points/monitoring.py" line="226" />
            <source>points {} -&gt; {}</source>
            <translation>点位 {} -&gt; {}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observation_import.py" line="78" />
            <source>not a date or time</source>
            <translation>不是日期或时间</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observation_import.py" line="88" />
            <source>not a valid date or time</source>
            <translation>不是有效的日期或时间</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observation_import.py" line="113" />
            <source>not a number</source>
            <translation>不是数字</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observation_import.py" line="158" />
            <source>Columns: {}</source>
            <translation>列：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observation_import.py" line="200" />
            <source>{} empty cells (no measurement) skipped</source>
            <translation>已跳过 {} 个空单元格（无监测值）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observation_import.py" line="202" />
            <source>Times without a time zone are kept as written (local time)</source>
            <translation>未带时区的时间按原样保留（视为当地时间）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observation_import.py" line="216" />
            <source>Unknown column role '{}': use one of {}</source>
            <translation>未知的列用途“{}”：请使用以下之一：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observation_import.py" line="222" />
            <source>{}: no {} column found (columns: {}); choose it</source>
            <translation>{}：未找到{}列（现有列：{}）；请指定</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observation_import.py" line="222" />
            <source>point code</source>
            <translation>点位编码</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observation_import.py" line="236" />
            <source>{}: neither variable and value columns nor columns of numbers per variable found (columns: {})</source>
            <translation>{}：既未找到监测指标列和监测值列，也未找到按监测指标分列的数值列（现有列：{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observation_import.py" line="239" />
            <source>Wide table: one column per variable ({})</source>
            <translation>宽表：每个监测指标一列（{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="152" />
            <source>The observations in {} were stored by a newer CityCode; update the plugin</source>
            <translation>{} 中的监测数据由更高版本的城市码插件写入，请升级插件</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="176" />
            <source>on_conflict must be one of {}, not {}</source>
            <translation>on_conflict 必须为 {} 之一，而不是 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="207" />
            <source>Line {}: {} is neither a point code nor a known point id</source>
            <translation>第 {} 行：{} 既不是点位编码，也不是已知的点位编号</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="224" />
            <source>Line {}: the unit {} of {} does not convert into the threshold's unit {}; stored, but not checked against the threshold</source>
            <translation>第 {} 行：单位 {}（监测指标 {}）无法换算为限值单位 {}；已存储，但未与限值比较</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="259" />
            <source>Line {}: {} {} at {} was {}, replaced by {}</source>
            <translation>第 {} 行：点位 {} 的 {} 在 {} 的监测值原为 {}，已替换为 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="261" />
            <source>Line {}: {} {} at {} is {}, the file says {}: kept</source>
            <translation>第 {} 行：点位 {} 的 {} 在 {} 的已存监测值为 {}，文件中为 {}：保留已存值</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="327" />
            <source>{} is not a date or time</source>
            <translation>{} 不是有效的日期或时间</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="386" />
            <source>A threshold needs a variable</source>
            <translation>限值必须指定监测指标</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="388" />
            <source>The lower limit of {} ({}) is above its upper limit ({})</source>
            <translation>{} 的下限（{}）高于其上限（{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="417" />
            <source>{}: the header needs a variable column (variable/指标) and a lower or upper column (lower/下限, upper/上限)</source>
            <translation>{}：表头须包含监测指标列（variable/指标），以及下限列或上限列（lower/下限、upper/上限）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="427" />
            <source>Line {}: the limits of {} are not numbers</source>
            <translation>第 {} 行：{} 的限值不是数字</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="430" />
            <source>Line {}: a threshold needs a variable and a lower or upper limit</source>
            <translation>第 {} 行：限值须包含监测指标，以及下限或上限</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="432" />
            <source>Line {}: the lower limit of {} is above its upper limit</source>
            <translation>第 {} 行：{} 的下限高于其上限</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="453" />
            <source>Export to .csv or .xlsx, not {}</source>
            <translation>请导出为 .csv 或 .xlsx，而不是 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="480" />
            <source>Line {}: the time {} is not a date or time (ISO 8601)</source>
            <translation>第 {} 行：时间 {} 不是有效的日期或时间（ISO 8601）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="482" />
            <source>Line {}: no variable</source>
            <translation>第 {} 行：缺少监测指标</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="484" />
            <source>Line {}: {} has no value</source>
            <translation>第 {} 行：{} 没有监测值</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="486" />
            <source>Line {}: the mark {} is not '&lt;' (below the detection limit)</source>
            <translation>第 {} 行：标记 {} 不是 '&lt;'（低于检出限）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="488" />
            <source>Line {}: {} {} at {} is already on line {}</source>
            <translation>第 {} 行：点位 {} 的 {} 在 {} 的监测值已见于第 {} 行</translation>
        </message>
        <message>
            <location filename="plugin/core/points/observations.py" line="513" />
            <source>GDAL has no XLSX driver here; export to .csv instead</source>
            <translation>当前环境中的 GDAL 没有 XLSX 驱动；请改为导出为 .csv</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="100" />
            <source>{}: no rows or features: nothing to import. Nothing was changed.</source>
            <translation>{}：没有行或要素：无可导入。未做任何更改。</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="104" />
            <source>Altitude</source>
            <translation>海拔</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="104" />
            <source>Province</source>
            <translation>省份</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="105" />
            <source>{}: column '{}'</source>
            <translation>{}：列“{}”</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="116" />
            <source>outside China, where {} does not apply</source>
            <translation>位于中国境外，{} 在境外不适用</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="133" />
            <source>{} of {} rows not imported: see the problems</source>
            <translation>{} 行（共 {} 行）未导入：详见问题列表</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="192" />
            <source>not two coordinates separated by a comma</source>
            <translation>不是以逗号分隔的两个坐标</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="213" />
            <source>'{}', '{}': degrees and minutes written as whole numbers ({} = {}°{:02d}′), as station lists write them</source>
            <translation>“{}”、“{}”：度和分连写为整数（{} = {}°{:02d}′），按站点表的惯常写法读取</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="241" />
            <source>'{}': {} values written as degrees, minutes, seconds</source>
            <translation>“{}”：有 {} 个值以度分秒形式书写</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="242" />
            <source>Coordinate format: {}</source>
            <translation>坐标格式：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="281" />
            <source>Identity: column '{}'</source>
            <translation>标识：“{}”列</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="283" />
            <source>Identity: no id column; a fingerprint of the coordinates as written and the name ('{}')</source>
            <translation>标识：没有编号列；使用按原样书写的坐标与名称（“{}”）生成的指纹</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="286" />
            <source>Identity: no id column; a fingerprint of the coordinates as written</source>
            <translation>标识：没有编号列；使用按原样书写的坐标生成的指纹</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="288" />
            <source>{} points have an empty '{}' and are identified by their coordinates (lines {})</source>
            <translation>有 {} 个点位的“{}”为空，改按坐标识别（第 {} 行）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="294" />
            <source>duplicate identity '{}' (first at line {})</source>
            <translation>标识“{}”重复（首次出现于第 {} 行）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="342" />
            <source>'{}': {} altitudes are marked estimated ({} added, the 中国气象局 station-list convention; e.g. {} is {} m): the altitude in metres is in {}, '{}' in {}</source>
            <translation>“{}”：有 {} 个海拔标记为估测值（按中国气象局站点表惯例加了 {}；如 {} 即 {} 米）：以米为单位的海拔见 {}，“{}”见 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/point_import.py" line="368" />
            <source>{} rows have characters lost for good ('?', U+FFFD or 锟斤拷; e.g. line {}, '{}': '{}'): the columns are named in {}; the right text must come from the source</source>
            <translation>有 {} 行含已无法恢复的字符（“?”、U+FFFD 或“锟斤拷”；如第 {} 行“{}”：“{}”）：相关列名见 {}；正确的文字只能从原始数据获取</translation>
        </message>
        <message>
            <location filename="plugin/core/points/sampling.py" line="80" />
            <source>Optional speed-up rasterio not found: CityCode reads raster values through QGIS, which is slower on many points. Install it with pip to speed this up.</source>
            <translation>未找到可选加速组件 rasterio：城市码将通过 QGIS 读取栅格值，点位较多时较慢。用 pip 安装 rasterio 可加快处理。</translation>
        </message>
        <message>
            <location filename="plugin/core/points/sampling.py" line="102" />
            <source>{} has no band {} (it has {} bands)</source>
            <translation>{} 没有波段 {}（共有 {} 个波段）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/sampling.py" line="152" />
            <source>rasterio cannot open {}</source>
            <translation>rasterio 无法打开 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/sampling.py" line="164" />
            <source>Cannot open {} as a raster layer</source>
            <translation>无法将 {} 作为栅格图层打开</translation>
        </message>
        <message>
            <location filename="plugin/core/points/sampling.py" line="358" />
            <source>{} has no CRS: taken to be that of the points</source>
            <translation>{} 没有坐标系：按点位的坐标系处理</translation>
        </message>
        <message>
            <location filename="plugin/core/points/source_crs.py" line="76" />
            <source>Datum: {} (chosen)</source>
            <translation>坐标基准：{}（用户指定）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/source_crs.py" line="81" />
            <source>Datum: {} (from the CRS)</source>
            <translation>坐标基准：{}（取自坐标系）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/source_crs.py" line="83" />
            <source>Datum: {} (the name '{}' says so)</source>
            <translation>坐标基准：{}（依据名称“{}”）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/source_crs.py" line="85" />
            <source>— its CRS says WGS84, as web-map data often does</source>
            <translation>——其坐标系标为 WGS84，网络地图数据常常如此</translation>
        </message>
        <message>
            <location filename="plugin/core/points/source_crs.py" line="87" />
            <source>Datum: CGCS2000 assumed (nothing in the file says otherwise); choose GCJ-02 for AMap/Tencent coordinates, BD-09 for Baidu</source>
            <translation>坐标基准：按 CGCS2000 处理（文件中没有其他说明）；高德/腾讯坐标请选择 GCJ-02，百度坐标请选择 BD-09</translation>
        </message>
        <message>
            <location filename="plugin/core/points/source_crs.py" line="107" />
            <source>Unknown CRS '{}': {}</source>
            <translation>未知的坐标系“{}”：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/source_crs.py" line="124" />
            <source>CRS: {}</source>
            <translation>坐标系：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/source_crs.py" line="135" />
            <source>The coordinates are in metres, but their CRS cannot be told: {} Choose the CRS.</source>
            <translation>坐标以米为单位，但无法判断其坐标系：{}请选择坐标系。</translation>
        </message>
        <message>
            <location filename="plugin/core/points/source_crs.py" line="146" />
            <source>outside China in {}</source>
            <translation>按 {} 位于中国境外</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="84" />
            <source>{}: read as delimited text (its content; the extension does not say)</source>
            <translation>{}：按分隔符文本读取（依据其内容；扩展名未表明格式）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="97" />
            <source>Column names repaired: {}</source>
            <translation>列名已修复：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="133" />
            <source>{} cannot be read as {}: {}</source>
            <translation>{} 无法按 {} 读取：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="137" />
            <source>{}: text read as {} (byte order mark)</source>
            <translation>{}：文本按 {} 读取（依据字节顺序标记）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="140" />
            <source>{} is neither UTF-8 nor GBK/GB18030 text: choose its encoding</source>
            <translation>{} 既不是 UTF-8 也不是 GBK/GB18030 编码的文本：请选择其字符编码</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="142" />
            <source>{}: text read as UTF-8</source>
            <translation>{}：文本按 UTF-8 读取</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="143" />
            <source>{}: text read as GB18030 (GBK): it is not UTF-8</source>
            <translation>{}：文本按 GB18030（GBK）读取：不是 UTF-8</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="170" />
            <source>comma</source>
            <translation>逗号</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="170" />
            <source>semicolon</source>
            <translation>分号</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="170" />
            <source>tab</source>
            <translation>制表符</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="170" />
            <source>vertical bar</source>
            <translation>竖线</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="171" />
            <source>Delimiter: {}</source>
            <translation>分隔符：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="182" />
            <source>{} holds no data</source>
            <translation>{} 中没有数据</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="187" />
            <source>Lines above line {} taken as a title, not data</source>
            <translation>第 {} 行以上的内容视为标题，不作为数据</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="194" />
            <source>No header row: columns named column_1 … column_{}</source>
            <translation>没有表头行：各列依次命名为 column_1 … column_{}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="206" />
            <source>{} values where the header has {} columns</source>
            <translation>有 {} 个值，但表头有 {} 列</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="254" />
            <source>Cannot read {}</source>
            <translation>无法读取 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="262" />
            <source>{} has no sheet or layer '{}' (it has: {})</source>
            <translation>{} 中没有名为“{}”的工作表或图层（现有：{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="281" />
            <source>Sheet '{}' read ({} sheets in the file)</source>
            <translation>已读取工作表“{}”（文件中共 {} 个工作表）</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="327" />
            <source>Layer '{}' has no point geometries: coordinates are taken from its columns</source>
            <translation>图层“{}”没有点几何：坐标取自其属性列</translation>
        </message>
        <message>
            <location filename="plugin/core/points/tables.py" line="357" />
            <source>empty</source>
            <translation>空值</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/backends.py" line="19" />
            <source>No registry location was given</source>
            <translation>未指定编码库位置</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/base.py" line="178" />
            <source>The request names the same identity more than once; nothing was issued</source>
            <translation>请求中同一标识出现多次；未发放任何编码</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/base.py" line="209" />
            <source>The sequence of division {} in {} is used up</source>
            <translation>行政区划 {} 在 {} 年的顺序号已用尽</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/base.py" line="271" />
            <source>A split needs at least two parts</source>
            <translation>拆分至少需要两个部分</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/base.py" line="293" />
            <source>A merge needs at least two codes</source>
            <translation>合并至少需要两个编码</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/base.py" line="299" />
            <source>Codes of different kinds cannot be merged</source>
            <translation>不同类型的编码不能合并</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/base.py" line="491" />
            <source>The registry location {} is neither a PostgreSQL connection (libpq key=value text such as host=… port=… dbname=… user=…, postgresql://…, service=… or qgis:&lt;connection&gt;) nor a registry file; for a file write its folder too (e.g. ./{}). Nothing was created.</source>
            <translation>编码库位置 {} 既不是 PostgreSQL 连接（libpq 的 key=value 文本，如 host=… port=… dbname=… user=…，或 postgresql://…、service=…、qgis:&lt;connection&gt;），也不是编码库文件；如为文件，请同时写出其所在文件夹（如 ./{}）。未创建任何内容。</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/datasets.py" line="44" />
            <source>Namespace {} (given)</source>
            <translation>命名空间 {}（指定）</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/datasets.py" line="44" />
            <source>Namespace {} (stored with the data)</source>
            <translation>命名空间 {}（随数据保存）</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/datasets.py" line="45" />
            <source>Namespace {} (the source; give a NAMESPACE to keep it when the file moves)</source>
            <translation>命名空间 {}（取自数据源；如需在文件移动后保持不变，请指定 NAMESPACE）</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/field_package.py" line="46" />
            <source>{} is not a complete field package</source>
            <translation>{} 不是完整的外业包</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/field_package.py" line="64" />
            <source>This field package has no reserved sequence numbers for division {} ({}, year {}); check out a package for that division and year. No code was issued for it.</source>
            <translation>此外业包没有为区划 {}（{}，{} 年）预留顺序号；请为该区划和年份检出外业包。未为其发放任何编码。</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/field_package.py" line="67" />
            <source>The block of sequence numbers {}-{} reserved in this field package for division {} ({}, year {}) is used up; check the package in and check out a new block (or choose a larger block size). No code outside the block was issued.</source>
            <translation>此外业包预留的顺序号号段 {}-{}（区划 {}，{}，{} 年）已用尽；请检入此外业包，再检出新的号段（或选择更大的号段大小）。未发放号段以外的任何编码。</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/field_package.py" line="73" />
            <source>A field package cannot reserve sequence numbers: check it in, then check out a new package from the shared registry</source>
            <translation>外业包不能预留顺序号：请先将其检入，再从共享编码库检出新的外业包</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/field_sync.py" line="97" />
            <source>A reserved block needs at least one sequence number</source>
            <translation>预留号段至少需要包含一个顺序号</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/field_sync.py" line="100" />
            <source>Choose at least one division to reserve sequence numbers for</source>
            <translation>请至少选择一个行政区划以预留顺序号</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/field_sync.py" line="109" />
            <source>Division {} ({}, year {}) has {} sequence numbers left, fewer than a block of {}; choose a smaller block. Nothing was reserved.</source>
            <translation>区划 {}（{}，{} 年）仅剩 {} 个顺序号，不足一个号段（{} 个）；请选择更小的号段。未预留任何顺序号。</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/field_sync.py" line="140" />
            <source>Choose 'registry' or 'package' to resolve a conflict</source>
            <translation>解决冲突时请选择 'registry'（编码库）或 'package'（外业包）</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/field_sync.py" line="150" />
            <source>There is no conflict {}</source>
            <translation>不存在冲突 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/field_sync.py" line="153" />
            <source>Conflict {} is already resolved</source>
            <translation>冲突 {} 已解决</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/field_sync.py" line="159" />
            <source>Conflict {} is about a feature of a layer; resolve it with the conflicts dialog or 'Resolve a field package conflict'</source>
            <translation>冲突 {} 涉及图层中的要素；请用冲突对话框或“解决外业包冲突”解决</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/field_sync.py" line="200" />
            <source>Field package {} was not checked out from this registry; nothing was checked in</source>
            <translation>外业包 {} 不是从此编码库检出的；未检入任何内容</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/field_sync.py" line="233" />
            <source>The package edits code {}, which is not in this registry; nothing was checked in</source>
            <translation>外业包修改了编码 {}，但该编码不在此编码库中；未检入任何内容</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/field_sync.py" line="263" />
            <source>{} (field package {})</source>
            <translation>{}（外业包 {}）</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/field_sync.py" line="304" />
            <source>{} features of field package {}</source>
            <translation>{} 个要素，来自外业包 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/field_sync.py" line="337" />
            <source>The package holds {} codes that lie outside the blocks reserved for it in this registry (e.g. {}); it was changed outside CityCode or belongs to another registry. Nothing was checked in.</source>
            <translation>外业包中有 {} 个编码不在此编码库为其预留的号段内（如 {}）；该外业包在城市码之外被修改过，或属于其他编码库。未检入任何内容。</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/pg_connection.py" line="73" />
            <source>The shared registry needs the Python package psycopg2, which is missing ({}). QGIS on Windows ships it; on Linux install python3-psycopg2.</source>
            <translation>共享编码库需要 Python 包 psycopg2，但未安装（{}）。Windows 版 QGIS 已自带该包；在 Linux 上请安装 python3-psycopg2。</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/pg_connection.py" line="109" />
            <source>The registry location {} is not a valid PostgreSQL connection: {}</source>
            <translation>编码库位置 {} 不是有效的 PostgreSQL 连接：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/pg_connection.py" line="112" />
            <source>The registry location must not contain a password. Use a QGIS connection with an authentication configuration (qgis:&lt;connection name&gt;), a service file or ~/.pgpass.</source>
            <translation>编码库位置中不得包含密码。请使用带认证配置的 QGIS 连接（qgis:&lt;connection name&gt;，即 qgis: 加连接名称）、服务文件或 ~/.pgpass。</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/pg_connection.py" line="117" />
            <source>The schema name {} is longer than PostgreSQL allows (63 bytes)</source>
            <translation>模式名 {} 超过了 PostgreSQL 允许的长度（63 字节）</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/pg_connection.py" line="148" />
            <source>QGIS has no PostgreSQL connection named '{}' (saved connections: {})</source>
            <translation>QGIS 中没有名为“{}”的 PostgreSQL 连接（已保存的连接：{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/pg_connection.py" line="174" />
            <source>QGIS could not read the authentication configuration {} of connection '{}': unlock QGIS's authentication database (master password) or check the configuration</source>
            <translation>QGIS 无法读取认证配置 {}（连接“{}”）：请解锁 QGIS 认证数据库（输入主密码），或检查该配置</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/pg_connection.py" line="178" />
            <source>The authentication configuration of connection '{}' uses {}; the shared registry supports user name and password (Basic) only</source>
            <translation>连接“{}”的认证配置使用的是 {}；共享编码库仅支持用户名和密码（Basic）认证</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/postgres.py" line="129" />
            <source>Text with a NUL character cannot be stored in the registry</source>
            <translation>含 NUL 字符的文本无法存入编码库</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/postgres.py" line="92" />
            <source>Cannot connect to the registry database {}: {}</source>
            <translation>无法连接编码库数据库 {}：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/postgres.py" line="102" />
            <source>The connection to the registry {} was lost while saving; the change may or may not be saved. Check before repeating it (a batch run again keeps the codes already issued): {}</source>
            <translation>保存时与编码库 {} 的连接中断；此次更改可能已保存，也可能未保存。重复操作前请先检查（再次运行批量赋码会沿用已发放的编码）：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/postgres.py" line="105" />
            <source>The connection to the registry {} was lost; nothing of this change was saved: {}</source>
            <translation>与编码库 {} 的连接中断；此次更改均未保存：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/postgres.py" line="109" />
            <source>Another user changed the same codes at the same moment; nothing was saved, please try again</source>
            <translation>其他用户同时修改了相同的编码；未保存任何内容，请重试</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/postgres.py" line="112" />
            <source>Your database user may not do this in the registry {} (roles: citycode_read reads, citycode_code codes, citycode_admin upgrades): {}</source>
            <translation>您的数据库用户无权在编码库 {} 中执行此操作（角色：citycode_read 可读取，citycode_code 可赋码，citycode_admin 可升级）：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/postgres.py" line="115" />
            <source>The registry database refused the change; nothing was saved: {}</source>
            <translation>编码库数据库拒绝了此次更改；未保存任何内容：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/postgres.py" line="145" />
            <source>The schema {} of {} is not a CityCode registry but holds other tables ({}); choose another schema. Nothing was changed.</source>
            <translation>模式 {}（位于 {}）不是城市码编码库，其中存有其他表（{}）；请选择其他模式。未做任何更改。</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/postgres.py" line="159" />
            <source>The registry {} was made by a newer CityCode; update the plugin</source>
            <translation>编码库 {} 由更高版本的城市码插件创建，请升级插件</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/postgres.py" line="182" />
            <source>There is no registry in schema {} of {} yet, and your database user may not create it; ask a database administrator. {}</source>
            <translation>模式 {}（位于 {}）中尚无编码库，且您的数据库用户无权创建；请联系数据库管理员。{}</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/postgres.py" line="185" />
            <source>The registry {} needs an upgrade from schema version {} to {} that your database user may not make; ask a registry administrator (role citycode_admin) to open it once. {}</source>
            <translation>编码库 {} 需要将结构版本从 {} 升级到 {}，但您的数据库用户无权执行；请编码库管理员（角色 citycode_admin）打开一次该编码库。{}</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite.py" line="226" />
            <source>The registry {} is busy: {} is writing to it, and this job gave up after waiting {:.0f} s. Nothing was changed; run it again later, or let jobs wait longer (setting citycode/registry_wait or CITYCODE_REGISTRY_WAIT, in seconds).</source>
            <translation>编码库 {} 正忙：{} 正在写入，本任务等待 {:.0f} 秒后放弃。未做任何更改；请稍后再运行，或让任务等待更久（设置 citycode/registry_wait 或环境变量 CITYCODE_REGISTRY_WAIT，单位为秒）。</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite_holder.py" line="65" />
            <source>{} (process {} on {}{}, since {})</source>
            <translation>{}（{} 上的进程 {}{}，自 {} 起）</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite_holder.py" line="64" />
            <source>another program</source>
            <translation>另一个程序</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite.py" line="399" />
            <source>{} already has the active code {}; retire it first</source>
            <translation>{} 已有有效编码 {}；请先将其注销</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite.py" line="492" />
            <source>Code {} is not in the registry</source>
            <translation>编码 {} 不在编码库中</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite.py" line="494" />
            <source>Code {} is {}, not active</source>
            <translation>编码 {} 的状态为 {}，不是有效状态</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite.py" line="79" />
            <source>{} cannot be read: {}</source>
            <translation>无法读取 {}：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite.py" line="81" />
            <source>{} is not a CityCode registry or GeoPackage (not an SQLite file: another kind of file, or damaged beyond recognition). It was not changed.</source>
            <translation>{} 不是城市码编码库或 GeoPackage（不是 SQLite 文件：是其他类型的文件，或已损坏到无法识别）。文件未被更改。</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite.py" line="86" />
            <source>{} is damaged ({}); restore it from a backup. It was not changed.</source>
            <translation>{} 已损坏（{}）；请从备份恢复。文件未被更改。</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite.py" line="159" />
            <source>The registry {} cannot be opened for writing: the disk is full ({}). Nothing was changed; free some space and try again.</source>
            <translation>编码库 {} 无法以写入方式打开：磁盘已满（{}）。未做任何更改；请释放一些空间后重试。</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite.py" line="168" />
            <source>The registry {} cannot be opened: {}</source>
            <translation>无法打开编码库 {}：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite.py" line="197" />
            <source>{} is not a CityCode registry but holds other data ({}); choose a new file or an existing registry. Nothing was changed.</source>
            <translation>{} 不是城市码编码库，其中存有其他数据（{}）；请选择新文件或已有的编码库。未做任何更改。</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite.py" line="201" />
            <source>{} is not a CityCode registry (it has no schema version); nothing was changed</source>
            <translation>{} 不是城市码编码库（没有结构版本）；未做任何更改</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite.py" line="204" />
            <source>The registry {} was made by a newer CityCode (schema {}, this one knows {}); update the plugin. Nothing was changed.</source>
            <translation>编码库 {} 由更新版本的城市码创建（结构版本 {}，本版本只支持到 {}）；请更新插件。未做任何更改。</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite.py" line="244" />
            <source>The registry {} is read-only (you may not write the file or its folder): codes can be looked up, not issued or changed. Nothing was changed.</source>
            <translation>编码库 {} 为只读（您无权写入该文件或其所在文件夹）：只能查询编码，不能发放或修改。未做任何更改。</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite.py" line="302" />
            <source>The registry {} could not be written: the disk is full ({}). Nothing was issued or changed; free some space and run again.</source>
            <translation>编码库 {} 无法写入：磁盘已满（{}）。未发放或更改任何编码；请释放一些空间后重新运行。</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite.py" line="304" />
            <source>The registry {} could not be written: {}. Nothing was issued or changed.</source>
            <translation>编码库 {} 无法写入：{}。未发放或更改任何编码。</translation>
        </message>
        <message>
            <location filename="plugin/core/registry/sqlite.py" line="328" />
            <source>The registry refused the batch, nothing was issued: {}</source>
            <translation>编码库拒绝了本批次，未发放任何编码：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/apply.py" line="65" />
            <source>{} old buildings that the survey changes have no code; code the old layer first</source>
            <translation>调查涉及的 {} 栋旧建筑物没有编码；请先为旧图层赋码</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/apply.py" line="79" />
            <source>Code {} is no longer active in the registry: building left for review</source>
            <translation>编码 {} 在编码库中已不再有效：该建筑物留待核定</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/apply.py" line="122" />
            <source>Codes {} changed in the registry since the old layer was made: left for review</source>
            <translation>编码 {} 在旧图层生成后已在编码库中变更：留待核定</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/apply.py" line="152" />
            <source>demolished (survey {})</source>
            <translation>已拆除（{} 年调查）</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/change_map.py" line="27" />
            <source>Changes of the {} survey</source>
            <translation>{} 年调查变化图</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="80" />
            <source>Change</source>
            <translation>变化</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/classify.py" line="54" />
            <source>The new survey has no area: it needs buildings with geometries</source>
            <translation>新调查没有范围：需要有几何图形的建筑物</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/classify.py" line="99" />
            <source>The tolerance must be 0 metres or more</source>
            <translation>容差须为 0 米或以上</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/plan.py" line="39" />
            <source>unchanged</source>
            <translation>未变化</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/plan.py" line="39" />
            <source>modified</source>
            <translation>已变更</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/plan.py" line="39" />
            <source>new</source>
            <translation>新增</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/plan.py" line="39" />
            <source>demolished</source>
            <translation>已拆除</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/plan.py" line="40" />
            <source>split</source>
            <translation>拆分</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/plan.py" line="40" />
            <source>merged</source>
            <translation>合并</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/plan.py" line="40" />
            <source>ambiguous</source>
            <translation>待核定</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/plan.py" line="40" />
            <source>outside the survey</source>
            <translation>调查范围外</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/plan.py" line="41" />
            <source>rejected</source>
            <translation>已驳回</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/plan.py" line="193" />
            <source>Read {} old buildings, {} surveyed</source>
            <translation>已读取旧建筑物 {} 栋、调查建筑物 {} 栋</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/plan.py" line="215" />
            <source>The old layer has no codes in field {}: choose the coded layer and its code field</source>
            <translation>旧图层的字段 {} 中没有编码：请选择已赋码图层及其编码字段</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/plan.py" line="218" />
            <source>Codes in field {} are not {}-character codes of profile {} (the profile of the divisions' level); choose the matching code field and divisions</source>
            <translation>字段 {} 中的编码不是 {} 位的 {} 方案编码（区划层级对应的方案）；请选择匹配的编码字段和行政区划</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/report.py" line="58" />
            <source>Vintage update {}</source>
            <translation>{} 年度更新</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/report.py" line="58" />
            <source>{} (old) and {} (survey); registry: {}</source>
            <translation>{}（旧）与 {}（调查）；编码库：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/report.py" line="58" />
            <source>Changes per division</source>
            <translation>各区划的变化</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="198" />
            <source>Division</source>
            <translation>行政区划</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/report.py" line="58" />
            <source>Largest changes</source>
            <translation>最大的变化</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="80" />
            <source>Old codes</source>
            <translation>原编码</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/report.py" line="58" />
            <source>Old area (m²)</source>
            <translation>原面积（m²）</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/report.py" line="58" />
            <source>New area (m²)</source>
            <translation>新面积（m²）</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/update.py" line="44" />
            <source>Matched: {}</source>
            <translation>匹配结果：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/update.py" line="74" />
            <source>{} new buildings lie in no division: left for review</source>
            <translation>{} 栋新建筑物不在任何区划内：留待核定</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/update.py" line="111" />
            <source>vintage {}: {} -&gt; {}</source>
            <translation>年度更新 {}：{} -&gt; {}</translation>
        </message>
        <message>
            <location filename="plugin/core/vintage/update.py" line="116" />
            <source>Registry {}: {} new codes, {} retired, {} splits, {} merges</source>
            <translation>编码库 {}：新发编码 {} 个，注销 {} 个，拆分 {} 次，合并 {} 次</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="74" />
            <source>CityCode: assigning codes</source>
            <translation>城市码：正在赋码</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="84" />
            <source>The CityCode Processing provider is not loaded</source>
            <translation>未加载城市码的处理工具（Processing）提供程序</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="157" />
            <source>Not coded for another reason (see the cc_status field and the report): {}</source>
            <translation>因其他原因未赋码（见 cc_status 字段和报告）：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="158" />
            <source>Overlapping {}: {}</source>
            <translation>与 {} 重叠：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="174" />
            <source>Batch coding canceled; no codes were issued.</source>
            <translation>批量赋码已取消；未发放任何编码。</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="176" />
            <source>unknown error</source>
            <translation>未知错误</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="177" />
            <source>Batch coding failed: {} — fix this and run it again; details in the CityCode log.</source>
            <translation>批量赋码失败：{} — 请修正后重新运行；详情见城市码日志。</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="179" />
            <source>Batch coding failed.</source>
            <translation>批量赋码失败。</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="183" />
            <source>coded</source>
            <translation>已赋码</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="186" />
            <source>The codes were issued but the coded layer cannot be opened: {}</source>
            <translation>编码已发放，但无法打开已赋码图层：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="193" />
            <source>CityCode: {}</source>
            <translation>城市码：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="195" />
            <source>Coded layer: {}</source>
            <translation>已赋码图层：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="197" />
            <source>Report: {}</source>
            <translation>报告：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="251" />
            <source>CityCode — batch assign codes</source>
            <translation>城市码 — 批量赋码</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="258" />
            <source>Buildings</source>
            <translation>建筑物</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="259" />
            <source>Projects</source>
            <translation>项目</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="271" />
            <source>Empty = stored with the data, else its source</source>
            <translation>留空 = 取数据中保存的，否则取其数据源</translation>
        </message>
        <message>
            <location filename="plugin/gui/speedups_dialog.py" line="44" />
            <source>none</source>
            <translation>无</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="95" />
            <source>CityCode registry (*.sqlite *.gpkg)</source>
            <translation>城市码编码库 (*.sqlite *.gpkg)</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="147" />
            <source>GeoPackage (*.gpkg)</source>
            <translation>GeoPackage (*.gpkg)</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="282" />
            <source>In the output folder, asked for once when you run</source>
            <translation>在输出文件夹中，首次运行时询问一次</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="290" />
            <source>Features are</source>
            <translation>要素类型</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="291" />
            <source>Code profile</source>
            <translation>编码方案</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="292" />
            <source>Layer to code</source>
            <translation>待赋码图层</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="293" />
            <source>Divisions (township/street)</source>
            <translation>行政区划（乡镇/街道）</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="294" />
            <source>Division code field</source>
            <translation>区划代码字段</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="295" />
            <source>Year field (empty = {})</source>
            <translation>年份字段（留空 = {}）</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="296" />
            <source>Identity field (empty = geometry fingerprint)</source>
            <translation>标识字段（留空 = 使用几何指纹）</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="297" />
            <source>Dataset namespace of the ids</source>
            <translation>标识的数据集命名空间</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="298" />
            <source>Planning layers (三区三线)</source>
            <translation>规划图层（三区三线）</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="299" />
            <source>Datum of the layer to code</source>
            <translation>待赋码图层的坐标系</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="299" />
            <source>Datum of the divisions</source>
            <translation>行政区划图层的坐标系</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="299" />
            <source>Datum of the planning layers</source>
            <translation>规划图层的坐标系</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="303" />
            <source>Building parts (OSM building:part)</source>
            <translation>建筑部件（OSM building:part）</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="97" />
            <source>Code registry</source>
            <translation>编码库</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="305" />
            <source>Coded layer</source>
            <translation>已赋码图层</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="308" />
            <source>Run in background</source>
            <translation>后台运行</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="358" />
            <source>auto (by the level of the division codes)</source>
            <translation>auto（按区划代码的级别）</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="422" />
            <source>Choose the layer to code and the divisions layer</source>
            <translation>请选择待赋码图层和行政区划图层</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="424" />
            <source>The layer to code and the divisions layer must differ</source>
            <translation>待赋码图层与行政区划图层不能相同</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="426" />
            <source>Choose where to save the coded layer</source>
            <translation>请选择已赋码图层的保存位置</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="428" />
            <source>Choose the code registry (the CityCode settings hold the usual one)</source>
            <translation>请选择编码库（城市码设置中保存了常用的编码库）</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="434" />
            <source>Code profile: {} (see the CityCode settings)</source>
            <translation>编码方案：{}（见城市码设置）</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="439" />
            <source>CityCode: where should outputs go? (asked once; change it in the settings)</source>
            <translation>城市码：输出结果保存到哪里？（只问一次；可在设置中修改）</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="445" />
            <source>The attribute table of {} (its .dbf file) is missing: the features have no ids, only their geometry.

Code them by geometry fingerprint? (A building reshaped later then counts as new.)</source>
            <translation>{} 的属性表（.dbf 文件）缺失：要素没有标识，只有几何图形。

是否按几何指纹赋码？（之后改变形状的建筑物将被视为新建筑物。）</translation>
        </message>
        <message>
            <location filename="plugin/gui/batch.py" line="462" />
            <source>Cannot start</source>
            <translation>无法开始</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="83" />
            <source>City code — {}</source>
            <translation>城市码 — {}</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="108" />
            <source>Division layer</source>
            <translation>行政区划图层</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="110" />
            <source>Code field</source>
            <translation>编码字段</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="115" />
            <source>Overview</source>
            <translation>概况</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="314" />
            <source>Overlaps</source>
            <translation>叠加分析</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="118" />
            <source>History</source>
            <translation>历史</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="391" />
            <source>Assign</source>
            <translation>赋码</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="124" />
            <source>Retire…</source>
            <translation>注销…</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="125" />
            <source>Split…</source>
            <translation>拆分…</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="126" />
            <source>Merge…</source>
            <translation>合并…</translation>
        </message>
        <message>
            <location filename="plugin/gui/speedups_dialog.py" line="72" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="127" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="196" />
            <source>00000 = whole building</source>
            <translation>00000 = 整栋建筑</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="199" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="200" />
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="201" />
            <source>Point kind</source>
            <translation>点位类型</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="203" />
            <source>Year</source>
            <translation>年份</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="204" />
            <source>Unit</source>
            <translation>单元</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="206" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="228" />
            <source>Planning layer</source>
            <translation>规划图层</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="80" />
            <source>Area (m²)</source>
            <translation>面积（m²）</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="228" />
            <source>Share (%)</source>
            <translation>占比（%）</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="289" />
            <source>Straddles: {}</source>
            <translation>跨界：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="297" />
            <source>Feature area: {:,.1f} m²</source>
            <translation>要素面积：{:,.1f} m²</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="297" />
            <source>No planning layers: load them with Planning layers… (CityCode menu), or put them in a layer group named 规划图层 or in the group named in the settings</source>
            <translation>没有规划图层：请通过城市码菜单中的“规划图层…”加载，或将其放入名为“规划图层”的图层组或设置中指定的图层组</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="309" />
            <source>The feature overlaps this planning layer</source>
            <translation>该要素与此规划图层相交</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="328" />
            <source>Active</source>
            <translation>有效</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="16" />
            <source>Retired</source>
            <translation>已注销</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="331" />
            <source>Issued {} by {}</source>
            <translation>{} 由 {} 发放</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="335" />
            <source>Not in the registry</source>
            <translation>不在编码库中</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="336" />
            <source>The layer has this code but the registry does not know it</source>
            <translation>图层中有此编码，但编码库中没有记录</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="338" />
            <source>Waiting for the save</source>
            <translation>等待保存</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="340" />
            <source>No code yet</source>
            <translation>尚无编码</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="347" />
            <source>No code can be issued until the division is known</source>
            <translation>确定行政区划之前无法发放编码</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="363" />
            <source>The registry already holds this code for the feature: Assign writes it to the layer</source>
            <translation>编码库中已有该要素的此编码：点击“赋码”将其写入图层</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="363" />
            <source>Preview: the code Assign will issue (not reserved)</source>
            <translation>预览：点击“赋码”将发放的编码（尚未预留）</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="375" />
            <source>Valid</source>
            <translation>校验通过</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="388" />
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="403" />
            <source>Layer {} has no field '{}' for the code. Add it?</source>
            <translation>图层 {} 没有存放编码的字段“{}”。是否添加？</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="421" />
            <source>The code is issued when layer {} is saved</source>
            <translation>编码将在保存图层 {} 时发放</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="426" />
            <source>Feature got code {}</source>
            <translation>要素已获得编码 {}</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="445" />
            <source>Code {} retired</source>
            <translation>编码 {} 已注销</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="450" />
            <source>Retire {} and give each of the {} selected parts a new code?</source>
            <translation>注销 {}，并为选中的 {} 个部分各发放一个新编码？</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="457" />
            <source>Split into {}</source>
            <translation>已拆分为 {}</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="461" />
            <source>Merge the {} selected features into this one, retire their codes {} and issue one new code?</source>
            <translation>将选中的 {} 个要素合并到本要素，注销其编码 {}，并发放一个新编码？</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="468" />
            <source>Merged into {}</source>
            <translation>已合并为 {}</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="473" />
            <source>The codes are issued when layer {} is saved</source>
            <translation>这些编码将在保存图层 {} 时发放</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="530" />
            <source>Observations</source>
            <translation>监测数据</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="551" />
            <source>Division layer {}: drawn as outlines with names, its fill hid the planning layers</source>
            <translation>行政区划图层 {}：已改为界线加名称显示（其填充遮住了规划图层）</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="556" />
            <source>The new feature of layer {} has no code; code it later with the code tool</source>
            <translation>图层 {} 的新要素没有编码；请稍后用赋码工具为其赋码</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="565" />
            <source>Retire {}</source>
            <translation>注销 {}</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_form.py" line="565" />
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="15" />
            <source>Issued</source>
            <translation>已发放</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="15" />
            <source>Edited</source>
            <translation>已修改</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="16" />
            <source>Split from</source>
            <translation>拆分自</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="17" />
            <source>Merged from</source>
            <translation>合并自</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="18" />
            <source>Conflict settled</source>
            <translation>冲突已处理</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="19" />
            <source>name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="19" />
            <source>reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="20" />
            <source>from code</source>
            <translation>原编码</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="20" />
            <source>from codes</source>
            <translation>原编码</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="21" />
            <source>field package</source>
            <translation>外业包</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="21" />
            <source>kept</source>
            <translation>保留</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="56" />
            <source>When</source>
            <translation>时间</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="56" />
            <source>Who</source>
            <translation>操作人</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="56" />
            <source>Action</source>
            <translation>操作</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="56" />
            <source>Detail</source>
            <translation>详情</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="86" />
            <source>From: {}</source>
            <translation>来源：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="88" />
            <source>Became: {}</source>
            <translation>变为：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_history.py" line="89" />
            <source>No split or merge</source>
            <translation>无拆分或合并</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_tool.py" line="41" />
            <source>Select a building or project on the active layer first</source>
            <translation>请先在当前图层上选择一栋建筑物或一个项目</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_tool.py" line="62" />
            <source>Choose a building or project layer in the Layers panel</source>
            <translation>请在图层面板中选择建筑物图层或项目图层</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_tool.py" line="68" />
            <source>No feature of layer {} here</source>
            <translation>此处没有图层 {} 的要素</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_tool.py" line="134" />
            <source>{} new features of layer {} carry a copied code: give them their own with Split in the code form</source>
            <translation>{} 个新要素（图层 {}）带有复制来的编码：请在编码表单中用“拆分”为其另发编码</translation>
        </message>
        <message>
            <location filename="plugin/gui/code_tool.py" line="138" />
            <source>{} features were added to layer {} at once: code them with the batch tool or one by one with the code tool</source>
            <translation>{} 个要素被一次性添加到图层 {}：请用批量赋码工具赋码，或用赋码工具逐个赋码</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="70" />
            <source>geometry</source>
            <translation>几何图形</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="70" />
            <source>deleted from the layer</source>
            <translation>已从图层中删除</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="70" />
            <source>changed</source>
            <translation>已修改</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="70" />
            <source>same</source>
            <translation>相同</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="72" />
            <source>area</source>
            <translation>面积</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="73" />
            <source>centroid shift</source>
            <translation>质心偏移</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="81" />
            <source>Field package conflicts</source>
            <translation>外业包冲突</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="159" />
            <source>Field</source>
            <translation>字段</translation>
        </message>
        <message>
            <location filename="plugin/gui/locator.py" line="123" />
            <source>Registry</source>
            <translation>编码库</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="159" />
            <source>Package</source>
            <translation>外业包</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="161" />
            <source>Keep registry</source>
            <translation>保留编码库版本</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="96" />
            <source>Keep package</source>
            <translation>保留外业包版本</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="116" />
            <source>These changes from field packages were not applied because the registry, or the layer their features go to, changed the same codes or features meanwhile. Choose which version to keep.</source>
            <translation>以下来自外业包的改动未被应用，因为在此期间编码库（或要素要写回的图层）中相同的编码或要素也有改动。请选择要保留的版本。</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="135" />
            <source>edited in both</source>
            <translation>双方均有编辑</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="135" />
            <source>feature changed in both</source>
            <translation>双方均修改了要素</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="135" />
            <source>coded in both</source>
            <translation>双方均已赋码</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="149" />
            <source>No open conflicts.</source>
            <translation>没有未解决的冲突。</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="152" />
            <source>Package {}, checked in by {} at {}</source>
            <translation>外业包 {}，由 {} 于 {} 检入</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="155" />
            <source>Layer: {}</source>
            <translation>图层：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="159" />
            <source>Layer</source>
            <translation>图层</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="161" />
            <source>Keep layer</source>
            <translation>保留图层版本</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="183" />
            <source>Conflict {} on {} resolved: kept the {} version</source>
            <translation>冲突 {}（{}）已解决：保留了{}版本</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="183" />
            <source>package</source>
            <translation>外业包</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="183" />
            <source>layer</source>
            <translation>图层</translation>
        </message>
        <message>
            <location filename="plugin/gui/conflicts_dialog.py" line="183" />
            <source>registry</source>
            <translation>编码库</translation>
        </message>
        <message>
            <location filename="plugin/gui/locator.py" line="104" />
            <source>(no code)</source>
            <translation>（无编码）</translation>
        </message>
        <message>
            <location filename="plugin/gui/locator.py" line="115" />
            <source>Locator: cannot read the registry: {}</source>
            <translation>定位器：无法读取编码库：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/locator.py" line="143" />
            <source>{} ({}) is in the registry, but no loaded layer holds it; add the coded layer to the map to see it.</source>
            <translation>{}（{}）在编码库中，但已加载的图层中都没有它；请将已赋码图层添加到地图中查看。</translation>
        </message>
        <message>
            <location filename="plugin/gui/locator.py" line="167" />
            <source>This feature has no geometry</source>
            <translation>该要素没有几何图形</translation>
        </message>
        <message>
            <location filename="plugin/gui/observation_chart.py" line="93" />
            <source>Variable:</source>
            <translation>监测指标：</translation>
        </message>
        <message>
            <location filename="plugin/gui/observation_chart.py" line="98" />
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <location filename="plugin/gui/observation_chart.py" line="98" />
            <source>Value</source>
            <translation>监测值</translation>
        </message>
        <message>
            <location filename="plugin/gui/observation_chart.py" line="98" />
            <source>Unit of measure</source>
            <translation>单位</translation>
        </message>
        <message>
            <location filename="plugin/gui/observation_chart.py" line="98" />
            <source>Below detection limit</source>
            <translation>低于检出限</translation>
        </message>
        <message>
            <location filename="plugin/gui/observation_chart.py" line="98" />
            <source>Exceeds</source>
            <translation>超标</translation>
        </message>
        <message>
            <location filename="plugin/gui/observation_chart.py" line="108" />
            <source>matplotlib is not installed, so the chart cannot be drawn; the values are listed below. Install matplotlib (pip install matplotlib) to see the chart.</source>
            <translation>未安装 matplotlib，无法绘制图表，下方以列表显示数值。安装 matplotlib（pip install matplotlib）后即可查看图表。</translation>
        </message>
        <message>
            <location filename="plugin/gui/observation_chart.py" line="157" />
            <source>No observations at {}.</source>
            <translation>{} 没有监测数据。</translation>
        </message>
        <message>
            <location filename="plugin/gui/observation_chart.py" line="157" />
            <source>No point selected.</source>
            <translation>未选择点位。</translation>
        </message>
        <message>
            <location filename="plugin/gui/observation_chart.py" line="161" />
            <source>{} values are in units that do not convert into {}: they are not shown.</source>
            <translation>有 {} 个值的单位无法换算为 {}：未予显示。</translation>
        </message>
        <message>
            <location filename="plugin/gui/observation_chart.py" line="179" />
            <source>Observed</source>
            <translation>监测值</translation>
        </message>
        <message>
            <location filename="plugin/gui/observation_chart.py" line="181" />
            <source>Below detection limit (&lt;)</source>
            <translation>低于检出限（&lt;）</translation>
        </message>
        <message>
            <location filename="plugin/gui/observation_chart.py" line="184" />
            <source>Exceeds threshold ({})</source>
            <translation>超标（{}）</translation>
        </message>
        <message>
            <location filename="plugin/gui/observation_chart.py" line="193" />
            <source>Upper limit {}</source>
            <translation>上限 {}</translation>
        </message>
        <message>
            <location filename="plugin/gui/observation_chart.py" line="193" />
            <source>Lower limit {}</source>
            <translation>下限 {}</translation>
        </message>
        <message>
            <location filename="plugin/gui/observation_chart.py" line="201" />
            <source>Local time, {}</source>
            <translation>本地时间，{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/observation_chart.py" line="213" />
            <source>yes</source>
            <translation>是</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="54" />
            <source>Load a JSON profile file…</source>
            <translation>加载 JSON 编码方案文件…</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="57" />
            <source>Code profile (*.json)</source>
            <translation>编码方案 (*.json)</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="87" />
            <source>CityCode settings</source>
            <translation>城市码设置</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="95" />
            <source>All files (*)</source>
            <translation>所有文件 (*)</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="101" />
            <source>A file on this computer (SQLite)</source>
            <translation>本机上的文件（SQLite）</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="101" />
            <source>A shared registry on PostgreSQL (a connection saved in QGIS)</source>
            <translation>PostgreSQL 上的共享编码库（使用 QGIS 中保存的连接）</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="109" />
            <source>Every issued code is recorded here, so codes never repeat. Empty = {}</source>
            <translation>每个已发放的编码都记录在这里，确保编码不重复。留空 = {}</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="122" />
            <source>This year</source>
            <translation>当年</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="124" />
            <source>e.g. the natural resources and planning bureau</source>
            <translation>例如：自然资源和规划局</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="127" />
            <source>What the QR code on a code card holds: this address with {code} replaced by the code; empty: the code itself</source>
            <translation>编码卡上二维码的内容：将此地址中的 {code} 替换为编码后得到的网址；留空则为编码本身</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="129" />
            <source>Codes</source>
            <translation>编码</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="322" />
            <source>Profile for buildings</source>
            <translation>建筑物编码方案</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="322" />
            <source>Profile for projects</source>
            <translation>项目编码方案</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="134" />
            <source>Default year</source>
            <translation>默认年份</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="135" />
            <source>Issuing unit</source>
            <translation>出图单位</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="136" />
            <source>QR address on code cards</source>
            <translation>编码卡二维码地址</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="140" />
            <source>Not chosen yet: asked at the first batch run</source>
            <translation>尚未选择：首次批量赋码时询问</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="141" />
            <source>Output folder</source>
            <translation>输出文件夹</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="145" />
            <source>Add files…</source>
            <translation>添加文件…</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="146" />
            <source>Add URI</source>
            <translation>添加 URI</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="147" />
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="157" />
            <source>Planning layer sources (三区三线)</source>
            <translation>规划图层来源（三区三线）</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="163" />
            <source>Optional; the group {} always counts</source>
            <translation>可选；图层组 {} 始终计入</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="164" />
            <source>The layers of this group in the Layers panel are planning layers too, besides those of the group Planning layers… makes</source>
            <translation>除“规划图层…”所建图层组中的图层外，图层面板中此图层组内的图层也视为规划图层</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="167" />
            <source>Your layer group of planning layers</source>
            <translation>您的规划图层组</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="190" />
            <source>Speed-ups</source>
            <translation>加速组件</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="197" />
            <source>In use: {}.</source>
            <translation>已启用：{}。</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="224" />
            <source>Test connection</source>
            <translation>测试连接</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="227" />
            <source>Set up roles…</source>
            <translation>设置角色…</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="229" />
            <source>For the database administrator, once: makes the roles citycode_read, citycode_code and citycode_admin and gives them the registry</source>
            <translation>供数据库管理员执行一次：创建角色 citycode_read、citycode_code 和 citycode_admin，并授予其对编码库的相应权限</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="239" />
            <source>Connection</source>
            <translation>连接</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="240" />
            <source>Schema</source>
            <translation>模式</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="256" />
            <source>QGIS has no saved PostgreSQL connection: add one in the Browser panel (PostgreSQL › New Connection…), with its login in an authentication configuration.</source>
            <translation>QGIS 中没有保存的 PostgreSQL 连接：请在浏览器面板中添加（PostgreSQL › 新建连接…），并将登录信息保存在认证配置中。</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="258" />
            <source>Codes are recorded in the schema of this database, shared by everyone who codes. The login comes from the QGIS connection; no password is stored by CityCode.</source>
            <translation>编码记录在此数据库的模式中，由所有赋码人员共享。登录信息取自 QGIS 连接；城市码不保存任何密码。</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="318" />
            <source>choose a PostgreSQL connection saved in QGIS</source>
            <translation>请选择 QGIS 中保存的 PostgreSQL 连接</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="324" />
            <source>choose a profile file</source>
            <translation>请选择编码方案文件</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="337" />
            <source>Not saved</source>
            <translation>未保存</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="372" />
            <source>Connected: {server}. Registry in schema {schema} (version {version}), {codes} codes issued.</source>
            <translation>已连接：{server}。编码库位于模式 {schema}（版本 {version}），已发放编码 {codes} 个。</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="382" />
            <source>Set up roles</source>
            <translation>设置角色</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="382" />
            <source>Make the roles citycode_read, citycode_code and citycode_admin on the server of {} and give them the registry? citycode_admin will own the schema. This needs a database user who may create roles.</source>
            <translation>在 {} 所在的服务器上创建角色 citycode_read、citycode_code 和 citycode_admin，并授予其对编码库的相应权限？citycode_admin 将成为该模式的所有者。此操作需要有权创建角色的数据库用户。</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="402" />
            <source>Planning layer files</source>
            <translation>规划图层文件</translation>
        </message>
        <message>
            <location filename="plugin/gui/settings_dialog.py" line="402" />
            <source>Vector files (*.gpkg *.shp *.geojson *.gdb *.sqlite);;All files (*)</source>
            <translation>矢量文件 (*.gpkg *.shp *.geojson *.gdb *.sqlite);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="plugin/gui/speedups_dialog.py" line="33" />
            <source>Install speed-ups</source>
            <translation>安装加速组件</translation>
        </message>
        <message>
            <location filename="plugin/gui/speedups_dialog.py" line="45" />
            <source>CityCode installs {modules} with pip for the Python of this QGIS ({python}), for your user only:</source>
            <translation>城市码将用 pip 为本 QGIS 的 Python（{python}）安装 {modules}，仅对当前用户生效：</translation>
        </message>
        <message>
            <location filename="plugin/gui/speedups_dialog.py" line="52" />
            <source>Copy command</source>
            <translation>复制命令</translation>
        </message>
        <message>
            <location filename="plugin/gui/speedups_dialog.py" line="69" />
            <source>Install</source>
            <translation>安装</translation>
        </message>
        <message>
            <location filename="plugin/gui/speedups_dialog.py" line="90" />
            <source>Every speed-up is already in use.</source>
            <translation>所有加速组件均已启用。</translation>
        </message>
        <message>
            <location filename="plugin/gui/speedups_dialog.py" line="94" />
            <source>pip is not available for the Python of this QGIS ({}).</source>
            <translation>本 QGIS 的 Python（{}）中没有可用的 pip。</translation>
        </message>
        <message>
            <location filename="plugin/gui/speedups_dialog.py" line="107" />
            <source>Running pip…</source>
            <translation>正在运行 pip…</translation>
        </message>
        <message>
            <location filename="plugin/gui/speedups_dialog.py" line="114" />
            <source>Installing speed-ups: {}</source>
            <translation>正在安装加速组件：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/speedups_dialog.py" line="138" />
            <source>Canceled: pip was stopped. Packages it had finished stay installed (pip uninstall removes them); run Install again to complete.</source>
            <translation>已取消：pip 已停止。已装完的包会保留（可用 pip uninstall 卸载）；再次点击“安装”即可完成。</translation>
        </message>
        <message>
            <location filename="plugin/gui/speedups_dialog.py" line="142" />
            <source>pip failed (exit code {}): {} — the full output is above and in the CityCode log. You can also run the command yourself.</source>
            <translation>pip 运行失败（退出码 {}）：{} — 完整输出见上方及城市码日志。您也可以自行运行该命令。</translation>
        </message>
        <message>
            <location filename="plugin/gui/speedups_dialog.py" line="148" />
            <source>pip installed {}, but this does not load in the Python of this QGIS: {}. Remove it with pip uninstall; CityCode goes on without it.</source>
            <translation>pip 已安装 {}，但以下包无法在本 QGIS 的 Python 中加载：{}。请用 pip uninstall 卸载；城市码不用它也能继续工作。</translation>
        </message>
        <message>
            <location filename="plugin/gui/speedups_dialog.py" line="148" />
            <source>nothing new</source>
            <translation>没有新装的包</translation>
        </message>
        <message>
            <location filename="plugin/gui/speedups_dialog.py" line="153" />
            <source>Installed: {}. Restart QGIS to use them.</source>
            <translation>已安装：{}。请重启 QGIS 以启用。</translation>
        </message>
        <message>
            <location filename="plugin/gui/speedups_dialog.py" line="156" />
            <source>Already installed: nothing new was needed. Restart QGIS if CityCode does not use them yet.</source>
            <translation>已经安装，无需新装。如城市码尚未使用它们，请重启 QGIS。</translation>
        </message>
        <message>
            <location filename="plugin/gui/speedups_dialog.py" line="162" />
            <source>Could not start {}: {}. Run the command yourself in a terminal.</source>
            <translation>无法启动 {}：{}。请在终端中自行运行该命令。</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="69" />
            <source>Review a vintage update</source>
            <translation>核定年度更新</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="80" />
            <source>Decision</source>
            <translation>处理</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="80" />
            <source>New buildings</source>
            <translation>新建筑物</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="89" />
            <source>Old</source>
            <translation>旧</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="90" />
            <source>New</source>
            <translation>新</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="96" />
            <source>Re-match</source>
            <translation>重新匹配</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="98" />
            <source>New building</source>
            <translation>新建筑物</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="100" />
            <source>continues</source>
            <translation>延续</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="111" />
            <source>Apply</source>
            <translation>应用</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="130" />
            <source>The polygons surveyed (empty: the survey's convex hull); buildings outside are left as they are</source>
            <translation>已调查的范围面（空：调查数据的凸包）；范围外的建筑物保持不变</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="148" />
            <source>Match</source>
            <translation>匹配</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="151" />
            <source>New survey</source>
            <translation>新调查</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="153" />
            <source>Coded buildings (last year)</source>
            <translation>已赋码建筑物（上一年）</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="155" />
            <source>Tolerance</source>
            <translation>容差</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="155" />
            <source>Survey year</source>
            <translation>调查年份</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="158" />
            <source>Divisions</source>
            <translation>行政区划</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="160" />
            <source>Surveyed area</source>
            <translation>调查范围</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="164" />
            <source>Output</source>
            <translation>输出</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="170" />
            <source>Choose the coded buildings, the new survey, the divisions and the output</source>
            <translation>请选择已赋码建筑物、新调查、行政区划和输出</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="204" />
            <source>{} changes to review ({} ambiguous); {} buildings unchanged</source>
            <translation>{} 处变化待核定（其中 {} 处待核定归属）；{} 栋建筑物未变化</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="272" />
            <source>Accept</source>
            <translation>接受</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="272" />
            <source>Reject</source>
            <translation>驳回</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="314" />
            <source>a new code</source>
            <translation>新编码</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="336" />
            <source>Nothing was changed: {}</source>
            <translation>未做任何更改：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/vintage_review.py" line="340" />
            <source>Applied: {}. Registry: {}</source>
            <translation>已应用：{}。编码库：{}</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="25" />
            <source>Coded as units of their building</source>
            <translation>作为所属建筑的单元赋码</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="26" />
            <source>Reported, left uncoded</source>
            <translation>只列出，不赋码</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="79" />
            <source>the profile of the division codes' level</source>
            <translation>按区划代码级别选用的编码方案</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="21" />
            <source>Assign unified codes (落图+赋码)</source>
            <translation>统一赋码（落图+赋码）</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="22" />
            <source>Check division codes against the national table</source>
            <translation>对照全国区划代码表核查区划代码</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="23" />
            <source>Code monitoring points (import, code, place, sample)</source>
            <translation>监测点赋码（导入、赋码、落图、取值）</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="24" />
            <source>Convert web-map datum (GCJ-02/BD-09)</source>
            <translation>网络地图坐标转换（GCJ-02/BD-09）</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="25" />
            <source>Export coded map</source>
            <translation>导出赋码地图</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="26" />
            <source>Export coded data (GeoPackage, Shapefile, CSV, Excel, GeoJSON)</source>
            <translation>导出赋码数据（GeoPackage、Shapefile、CSV、Excel、GeoJSON）</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="28" />
            <source>Check out a field package</source>
            <translation>检出外业包</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="29" />
            <source>Check in a field package</source>
            <translation>检入外业包</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="30" />
            <source>Resolve a field package conflict</source>
            <translation>解决外业包冲突</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="31" />
            <source>Import monitoring points</source>
            <translation>导入监测点</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="32" />
            <source>Import observations</source>
            <translation>导入监测数据</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="33" />
            <source>Export observations</source>
            <translation>导出监测数据</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="34" />
            <source>Check against planning layers (三区三线 overlay)</source>
            <translation>规划图层叠加分析（三区三线）</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="35" />
            <source>Detect and repair text encoding</source>
            <translation>检测并修复字符编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="36" />
            <source>Sample rasters at points</source>
            <translation>点位栅格取值</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="37" />
            <source>Update to a new survey (vintage update)</source>
            <translation>按新调查更新（年度更新）</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="38" />
            <source>Validate codes</source>
            <translation>编码校验</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="42" />
            <source>&lt;p&gt;&lt;b&gt;Datums&lt;/b&gt; (a choice per input): &lt;i&gt;Detect automatically&lt;/i&gt; (the default) tests each layer — its seat points against a shipped reference of division seats (GeoNames), DataV/AMap/Baidu field sets, names such as 高德, 百度, gcj, bd09, datav — and moves it from GCJ-02 / BD-09 to CGCS2000 when the evidence is clear; the log and the report say what was found and what was done. &lt;i&gt;As labelled&lt;/i&gt; converts nothing but warns when a layer looks drawn on a web map.&lt;/p&gt;</source>
            <translation>&lt;p&gt;&lt;b&gt;坐标系&lt;/b&gt;（每个输入可分别选择）：&lt;i&gt;自动识别&lt;/i&gt;（默认）逐层检查——将驻地点与随插件提供的行政区驻地参考点（GeoNames）比对，识别 DataV/高德/百度的字段组合，以及 高德、百度、gcj、bd09、datav 等名称——证据明确时将其由 GCJ-02 / BD-09 转换为 CGCS2000；日志和报告会说明发现了什么、做了什么。&lt;i&gt;按标注的坐标系&lt;/i&gt;不做转换，但图层看起来来自网络地图时给出警告。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="51" />
            <source>&lt;p&gt;Places every building in the township/street division it lies in (落图) and gives it a unified city code (赋码): division code + year + sequence + unit + check character (the chosen profile). Codes already issued are kept: a registry remembers each building, so re-running after edits only codes what is new.&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Buildings&lt;/b&gt;: polygons to code. A layer of points or lines is refused, unless &lt;b&gt;code points and lines as point features&lt;/b&gt; is set: points are coded where they are, lines by the point halfway along them (of a multi-line, along its longest part). Geometry collections are coded by their polygons; a feature whose coordinates are not numbers (NaN, infinite) is left out as invalid_geometry and the others are coded.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Divisions&lt;/b&gt; and &lt;b&gt;division code field&lt;/b&gt;: division polygons and their code at any level: 2/4/6 digits (GB/T 2260 province/prefecture/county, DataV/AMap adcodes; 320500 is prefecture 3205), 9 digits (township/street) or 12 digits (statistics codes; 110101001000 is township 110101001).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Year field&lt;/b&gt; / &lt;b&gt;default year&lt;/b&gt;: the year segment of new codes; features without a year use the default (empty = the current year).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Identity field&lt;/b&gt;: a stable ID of each building. Without it, a geometry fingerprint identifies buildings across re-runs (a reshaped building then counts as new): the geometry on a 1 cm grid in metres (lon/lat layers are projected first). Features whose id is empty fall back to it; the report lists them, and names for each duplicate identity the feature that has it first. A shapefile whose .dbf is missing has no ids: it is coded by fingerprint only when &lt;b&gt;allow coding by geometry fingerprint&lt;/b&gt; is set.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Unit field&lt;/b&gt;: the unit segment (empty = whole building, 00000).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Rule&lt;/b&gt;: the division a straddling building belongs to — the one holding the largest share of its area, or the one containing its centroid (JGJ/T 246).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Planning layers&lt;/b&gt;: optional 三区三线 polygons (e.g. 生态保护红线, 永久基本农田, 城镇开发边界) to measure each building against.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Code profile&lt;/b&gt; / &lt;b&gt;profile file&lt;/b&gt;: the code layout; a JSON file overrides the choice. auto (the default) takes the building profile of the divisions' level (building for townships, building_county for 6-digit county codes …; the log and the report say which). Scripts and qgis_process give the profile by name, e.g. PROFILE=building_county.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Registry&lt;/b&gt;: the file recording issued codes (created if missing, updated in place). Empty = beside the output. Set it when the output is temporary, or codes will not persist.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Buildings / Divisions: coordinates really in&lt;/b&gt;: for layers drawn on Chinese web maps, which label GCJ-02 (AMap, Tencent) or BD-09 (Baidu) coordinates as WGS84; they are moved to CGCS2000 first.&lt;/li&gt;&lt;li&gt;A layer without a CRS, or whose CRS does not fit its coordinates, gets the CRS its coordinates show when that is certain (the log and the report say which); otherwise the run stops and asks you to set it. A CRS you set on the layer is used as is.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Engine&lt;/b&gt;: auto picks the fast file reader when it can, otherwise QGIS.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Report&lt;/b&gt;: an HTML or JSON summary.&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Inside PostGIS (province scale)&lt;/h3&gt;&lt;p&gt;When buildings, divisions and planning layers are all PostGIS tables of one database and the registry is a PostgreSQL registry in that database (postgresql://…, service=… or qgis:&amp;lt;connection&amp;gt;), the whole run happens inside the database as set-based SQL, with the same codes; nothing is read into QGIS. The result is a table in that database: choose &lt;i&gt;Save to PostGIS table…&lt;/i&gt; for &lt;b&gt;Coded buildings&lt;/b&gt;, or name it in &lt;b&gt;Output table&lt;/b&gt; (schema.table; from qgis_process: OUTPUT_TABLE=public.buildings_coded); left temporary, it is &amp;lt;buildings table&amp;gt;_coded beside the buildings. An existing output table is replaced. Codes, the batch and the output table are committed together. Otherwise (a file output, selected features only, unsaved edits, another engine chosen …) the run happens in QGIS and the log says why.&lt;/p&gt;&lt;h3&gt;Output fields&lt;/h3&gt;&lt;p&gt;The building fields, plus:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;citycode&lt;/b&gt;: the unified code (empty when the building could not be coded).&lt;/li&gt;&lt;li&gt;&lt;b&gt;division&lt;/b&gt;: the division code the building was placed in.&lt;/li&gt;&lt;li&gt;&lt;b&gt;div_share&lt;/b&gt;: share (0–1) of the building's area inside that division.&lt;/li&gt;&lt;li&gt;&lt;b&gt;straddle&lt;/b&gt;: 1 when the building crosses a division boundary; &lt;b&gt;div_shares&lt;/b&gt; then lists each division with its share.&lt;/li&gt;&lt;li&gt;&lt;b&gt;cc_status&lt;/b&gt;: new, existing (code kept from an earlier run), outside (in no division), empty (no geometry), duplicate_id (identity already used by another feature) or exhausted (no sequence numbers left).&lt;/li&gt;&lt;li&gt;&lt;b&gt;cc_flags&lt;/b&gt;: notes such as repaired (invalid geometry fixed), partly_outside, year_default (year field empty or implausible).&lt;/li&gt;&lt;li&gt;&lt;b&gt;&amp;lt;layer&amp;gt;_area&lt;/b&gt;, &lt;b&gt;&amp;lt;layer&amp;gt;_pct&lt;/b&gt;, &lt;b&gt;&amp;lt;layer&amp;gt;_hit&lt;/b&gt;: for each planning layer, the overlap area (square metres), its percentage of the building, and 1 when they overlap.&lt;/li&gt;&lt;/ul&gt;</source>
            <translation>&lt;p&gt;将每栋建筑物落到其所在的乡镇/街道行政区划（落图），并赋予统一的城市码（赋码）：区划代码 + 年份 + 顺序号 + 单元号 + 校验码（按所选编码方案）。已发放的编码会沿用：编码库记录每栋建筑物，因此编辑后再次运行时只为新增的建筑物赋码。&lt;/p&gt;&lt;h3&gt;参数&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;建筑物&lt;/b&gt;：待赋码的面图层。点或线图层会被拒绝，除非勾选&lt;b&gt;将点和线作为点要素赋码&lt;/b&gt;：点按其所在位置赋码，线按其中点赋码（多线取最长的一段）。几何集合按其中的面赋码；坐标不是数值（NaN、无穷大）的要素记为 invalid_geometry 并跳过，其余要素照常赋码。&lt;/li&gt;&lt;li&gt;&lt;b&gt;行政区划&lt;/b&gt;和&lt;b&gt;区划代码字段&lt;/b&gt;：行政区划面图层及其任意级别的代码：2/4/6 位（GB/T 2260 省/地/县级代码、DataV/高德 adcode；320500 即地级 3205）、9 位（乡镇/街道）或 12 位（统计用区划代码；110101001000 即乡镇 110101001）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;年份字段&lt;/b&gt; / &lt;b&gt;默认年份&lt;/b&gt;：新编码的年份码段；没有年份的要素使用默认年份（留空 = 当年）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;标识字段&lt;/b&gt;：每栋建筑物的稳定标识。不设置时，以几何指纹在多次运行之间识别建筑物（此时改过形状的建筑物视为新增）：即按米计 1 厘米网格上的几何图形（经纬度图层先投影）。标识为空的要素逐个改用几何指纹；报告列出这些要素，并为每个重复标识指出最先使用它的要素。缺少 .dbf 的 shapefile 没有标识：只有勾选&lt;b&gt;允许按几何指纹赋码&lt;/b&gt;时才按指纹赋码。&lt;/li&gt;&lt;li&gt;&lt;b&gt;单元字段&lt;/b&gt;：单元码段（留空 = 整栋建筑，00000）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;跨界建筑物的归属区划&lt;/b&gt;：跨界建筑物归入哪个行政区划——面积占比最大的区划，或质心所在的区划（JGJ/T 246）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;规划图层&lt;/b&gt;：可选的三区三线面图层（如生态保护红线、永久基本农田、城镇开发边界），逐栋建筑物与之叠加分析。&lt;/li&gt;&lt;li&gt;&lt;b&gt;编码方案&lt;/b&gt; / &lt;b&gt;编码方案文件&lt;/b&gt;：编码结构；指定 JSON 文件时以文件为准。auto（默认）按行政区划的级别选用建筑物编码方案（乡镇级用 building，6 位县级代码用 building_county ……；日志和报告中注明所用方案）。脚本和 qgis_process 按名称指定方案，如 PROFILE=building_county。&lt;/li&gt;&lt;li&gt;&lt;b&gt;编码库&lt;/b&gt;：记录已发放编码的文件（不存在时自动创建，存在时就地更新）。留空 = 与输出文件同目录。输出为临时图层时请务必指定，否则编码无法保留。&lt;/li&gt;&lt;li&gt;&lt;b&gt;建筑物 / 行政区划：坐标实际所属坐标系&lt;/b&gt;：用于在国内网络地图上绘制的图层——这类数据把 GCJ-02（高德、腾讯）或 BD-09（百度）坐标标注为 WGS84；处理前先将其转换到 CGCS2000。&lt;/li&gt;&lt;li&gt;图层没有坐标系，或坐标系与其坐标不符时，若能由坐标确定坐标系，则采用该坐标系（日志和报告中会注明）；否则停止运行，请您设置坐标系。您在图层上设置的坐标系将原样使用。&lt;/li&gt;&lt;li&gt;&lt;b&gt;计算引擎&lt;/b&gt;：自动——能用快速文件读取时即用之，否则使用 QGIS。&lt;/li&gt;&lt;li&gt;&lt;b&gt;报告&lt;/b&gt;：HTML 或 JSON 格式的汇总。&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;在 PostGIS 内运行（省级数据量）&lt;/h3&gt;&lt;p&gt;当建筑物、行政区划和规划图层都是同一数据库中的 PostGIS 表，且编码库是该数据库中的 PostgreSQL 编码库（postgresql://…、service=… 或 qgis:&amp;lt;connection&amp;gt;）时，整个运行过程以基于集合的 SQL 在数据库内完成，发放的编码相同；不会将任何数据读入 QGIS。结果为该数据库中的一张表：在&lt;b&gt;已赋码建筑物&lt;/b&gt;处选择&lt;i&gt;保存到 PostGIS 表…&lt;/i&gt;，或在&lt;b&gt;输出表&lt;/b&gt;中指定表名（schema.table；在 qgis_process 中为 OUTPUT_TABLE=public.buildings_coded）；若保留为临时输出，则为建筑物表所在模式中的 &amp;lt;建筑物表名&amp;gt;_coded。已存在的输出表将被替换。编码、批次记录和输出表一并提交。否则（输出为文件、仅使用所选要素、有未保存的编辑、选择了其他计算引擎等），将在 QGIS 中运行，日志中会说明原因。&lt;/p&gt;&lt;h3&gt;输出字段&lt;/h3&gt;&lt;p&gt;建筑物原有字段，另加：&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;citycode&lt;/b&gt;：城市码（建筑物无法赋码时为空）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;division&lt;/b&gt;：建筑物落入的行政区划代码。&lt;/li&gt;&lt;li&gt;&lt;b&gt;div_share&lt;/b&gt;：建筑物面积位于该区划内的比例（0–1）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;straddle&lt;/b&gt;：建筑物跨越区划界线时为 1；此时 &lt;b&gt;div_shares&lt;/b&gt; 列出所跨各区划及其占比。&lt;/li&gt;&lt;li&gt;&lt;b&gt;cc_status&lt;/b&gt;：new（新发编码）、existing（沿用此前运行发放的编码）、outside（不在任何区划内）、empty（无几何图形）、duplicate_id（标识已被其他要素使用）或 exhausted（顺序号已用尽）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;cc_flags&lt;/b&gt;：备注，如 repaired（已修复无效几何图形）、partly_outside（部分位于区划之外）、year_default（年份字段为空或不合理）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;&amp;lt;layer&amp;gt;_area&lt;/b&gt;、&lt;b&gt;&amp;lt;layer&amp;gt;_pct&lt;/b&gt;、&lt;b&gt;&amp;lt;layer&amp;gt;_hit&lt;/b&gt;：对每个规划图层，分别为叠加面积（平方米）、叠加面积占建筑物面积的百分比，以及两者相交时为 1。&lt;/li&gt;&lt;/ul&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="51" />
            <source>&lt;p&gt;&lt;b&gt;Building parts&lt;/b&gt; (OSM &lt;i&gt;building:part&lt;/i&gt; polygons inside their building, or features whose &lt;b&gt;parent field&lt;/b&gt; holds their building's id) get no building number of their own: they are coded as units of their building (its code with the unit segment 00001, 00002 …; cc_status part_unit) or reported and left uncoded (cc_status part), as chosen. The log and the report say how many there were.&lt;/p&gt;</source>
            <translation>&lt;p&gt;&lt;b&gt;建筑部件&lt;/b&gt;（位于所属建筑内的 OSM &lt;i&gt;building:part&lt;/i&gt; 面，或&lt;b&gt;父级字段&lt;/b&gt;中记有所属建筑编号的要素）不单独占用建筑顺序号：按所选方式，作为所属建筑的单元赋码（沿用建筑的编码，单元段为 00001、00002 …；cc_status 为 part_unit），或只列出而不赋码（cc_status 为 part）。日志和报告会说明部件数量。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="126" />
            <source>&lt;p&gt;Checks the codes of a division layer (provinces down to townships/streets) against the national statistics division codes (统计用区划代码) shipped with the plugin; the log names the table's vintage.&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Code field&lt;/b&gt;: codes of 2, 4, 6, 9 or 12 digits (a 12-digit code ending in 000 is its 9-digit township; 6-digit GB/T 2260 spellings such as 110000 or 110100 are read as the province or prefecture).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Name field&lt;/b&gt; (optional): compared with the table's name, forgiving whitespace, 街道办事处/街道 and 镇/乡.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Parent code field&lt;/b&gt; (optional): the parent each row claims, e.g. the county code of a township. Where the hierarchy has no real level in between, the level above is right too: the province for 省直辖县级行政单位 (仙桃 429004, 济源 419001, 兵团 cities 659xxx) and for the districts of 直辖市, the province for a 地级市 without districts (东莞 441900, 嘉峪关 620200) and that city for its townships.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Adcode mapping&lt;/b&gt; (optional): a CSV with the columns statistics_code and adcode (and optionally name, vendor, note), added to the shipped pairs (e.g. 苏州工业园区: statistics 320576, map vendors 320571). Adcodes found in the layer are checked as their statistics code.&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Output fields&lt;/h3&gt;&lt;p&gt;The input fields, plus:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;status&lt;/b&gt;: ok, or the most serious finding: wrong_length, unknown, outdated (a former code; the message names its successor when known), wrong_parent, name_mismatch, adcode_mapped.&lt;/li&gt;&lt;li&gt;&lt;b&gt;message&lt;/b&gt;: every finding, one per line.&lt;/li&gt;&lt;li&gt;&lt;b&gt;stat_code&lt;/b&gt;: the statistics code the row was checked as.&lt;/li&gt;&lt;/ul&gt;</source>
            <translation>&lt;p&gt;将行政区划图层（省级至乡镇/街道）的代码与插件自带的国家统计用区划代码进行核对；日志中注明区划代码表的年版。&lt;/p&gt;&lt;h3&gt;参数&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;编码字段&lt;/b&gt;：2、4、6、9 或 12 位代码（以 000 结尾的 12 位代码视为对应的 9 位乡镇代码；110000、110100 这类 6 位 GB/T 2260 写法按省级或地级读取）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;名称字段&lt;/b&gt;（可选）：与区划表中的名称比对，忽略空白字符以及“街道办事处/街道”“镇/乡”的差别。&lt;/li&gt;&lt;li&gt;&lt;b&gt;上级代码字段&lt;/b&gt;（可选）：各行所填的上级区划，如乡镇所属县级行政区的代码。层级中没有实际的中间一级时，再上一级也算正确：省直辖县级行政单位（仙桃 429004、济源 419001、兵团城市 659xxx）和直辖市的区以省级为上级，不设区的地级市（东莞 441900、嘉峪关 620200）以省级为上级、其乡镇以该市为上级。&lt;/li&gt;&lt;li&gt;&lt;b&gt;adcode 对照表&lt;/b&gt;（可选）：含 statistics_code 和 adcode 两列（可另含 name、vendor、note）的 CSV，追加到插件自带的对照关系中（如苏州工业园区：统计用代码 320576，地图服务商代码 320571）。图层中出现的 adcode 按其对应的统计用区划代码核查。&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;输出字段&lt;/h3&gt;&lt;p&gt;输入图层原有字段，另加：&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;status&lt;/b&gt;：ok，或最严重的问题：wrong_length（位数错误）、unknown（未知代码）、outdated（旧代码；已知现行代码时在消息中注明）、wrong_parent（上级不符）、name_mismatch（名称不符）、adcode_mapped（adcode 已对照为统计用代码）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;message&lt;/b&gt;：发现的全部问题，每行一条。&lt;/li&gt;&lt;li&gt;&lt;b&gt;stat_code&lt;/b&gt;：该行核查时所用的统计用区划代码。&lt;/li&gt;&lt;/ul&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="154" />
            <source>&lt;p&gt;Monitoring points (stations, survey marks, sensors) in one pass: read from a file or a point layer, placed in their township/street division, given a unified point code (division + JC + kind + sequence, never reused, in the same registry as buildings), checked against the planning layers and sampled on rasters. Re-running on the same file keeps the codes already issued.&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Points file&lt;/b&gt;: CSV/TXT, Excel (.xlsx), GeoJSON, GeoPackage or Shapefile. Coordinate columns are found by name (经度/纬度, lon/lat, X/Y ...) or by their values; coordinates may be decimal degrees, degree-minute-second text (116°20′30″E, 116度20分30秒, 116 20 30) or metres of a CGCS2000 Gauss-Krüger zone. Rows that cannot be read are listed in the report with their line numbers.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Or point layer&lt;/b&gt;: a point layer of the project instead of a file.&lt;/li&gt;&lt;li&gt;&lt;b&gt;X / Y column&lt;/b&gt;, &lt;b&gt;coordinate format&lt;/b&gt;, &lt;b&gt;datum&lt;/b&gt;, &lt;b&gt;encoding&lt;/b&gt;: only when the detection gets them wrong. Station lists often write degrees.minutes (116.2 = 116°20′): choose dm, or dms_packed for 116.2030 = 116°20′30″. Datum: coordinates from AMap/Tencent are GCJ-02, from Baidu BD-09; they are moved to CGCS2000.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Divisions&lt;/b&gt;: codes of any level (2/4/6/9/12 digits); the code profile auto takes the point profile of that level (point for townships, point_county for 6-digit county codes …), a profile file any layout with a kind segment.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Kind field&lt;/b&gt;: what each point is, as a kind code (04) or in words (空气, 水质监测站, 地面沉降 ...); words that name no kind get the default kind, and the report lists them.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Identity field&lt;/b&gt;: the station id (编号, 站号 ...; found by name when empty); without one, points are told apart by their coordinates and name.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Planning layers&lt;/b&gt; and &lt;b&gt;rasters&lt;/b&gt;: the zones each point lies in (with their class, e.g. the 用地用海 code) and the raster values at it (empty where the raster has no data).&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Output&lt;/h3&gt;&lt;p&gt;Points in CGCS2000 longitude/latitude with the source columns and: citycode, division, cc_kind, cc_status (new, existing, outside, duplicate_id ...), cc_flags, src_line (the source line), lon_cgcs / lat_cgcs, &amp;lt;layer&amp;gt;_in and &amp;lt;layer&amp;gt;_class per planning layer, and one column per raster band.&lt;/p&gt;</source>
            <translation>&lt;p&gt;一次完成监测点（监测站、测量标志、传感器）的处理：从文件或点图层读取，落入所在的乡镇/街道行政区划，赋予统一的点位编码（区划代码 + JC + 类型 + 顺序号，永不重复使用，与建筑物共用同一编码库），与规划图层叠加，并提取栅格值。对同一文件再次运行时，沿用已发放的编码。&lt;/p&gt;&lt;h3&gt;参数&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;点位文件&lt;/b&gt;：CSV/TXT、Excel（.xlsx）、GeoJSON、GeoPackage 或 Shapefile。坐标列按列名（经度/纬度、lon/lat、X/Y ……）或按数值识别；坐标可以是十进制度、度分秒文本（116°20′30″E、116度20分30秒、116 20 30），或 CGCS2000 高斯-克吕格投影带的米制坐标。无法读取的行将连同行号列在报告中。&lt;/li&gt;&lt;li&gt;&lt;b&gt;或点图层&lt;/b&gt;：用项目中的点图层代替文件。&lt;/li&gt;&lt;li&gt;&lt;b&gt;X / Y 列&lt;/b&gt;、&lt;b&gt;坐标格式&lt;/b&gt;、&lt;b&gt;坐标基准&lt;/b&gt;、&lt;b&gt;字符编码&lt;/b&gt;：仅在自动识别有误时设置。监测站点表常写成度.分（116.2 = 116°20′）：此时请选择 dm；116.2030 = 116°20′30″ 这种写法请选择 dms_packed。坐标基准：高德/腾讯的坐标为 GCJ-02，百度的为 BD-09；处理时会将其转换到 CGCS2000。&lt;/li&gt;&lt;li&gt;&lt;b&gt;行政区划&lt;/b&gt;：任意级别的代码（2/4/6/9/12 位）；编码方案 auto 按该级别选用监测点编码方案（乡镇级用 point，6 位县级代码用 point_county ……），编码方案文件可为任意含类型码段的结构。&lt;/li&gt;&lt;li&gt;&lt;b&gt;类型字段&lt;/b&gt;：各点位的类型，可以是类型代码（04），也可以是文字（空气、水质监测站、地面沉降 ……）；不对应任何类型的文字采用默认类型，并在报告中列出。&lt;/li&gt;&lt;li&gt;&lt;b&gt;标识字段&lt;/b&gt;：站点编号（编号、站号 ……；留空时按列名查找）；没有编号时，按坐标和名称区分点位。&lt;/li&gt;&lt;li&gt;&lt;b&gt;规划图层&lt;/b&gt;和&lt;b&gt;栅格&lt;/b&gt;：各点位所在的分区（含分类，如用地用海代码）及该处的栅格值（栅格无数据处为空）。&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;输出&lt;/h3&gt;&lt;p&gt;CGCS2000 经纬度的点位，含源数据各列，另加：citycode、division、cc_kind、cc_status（new、existing、outside、duplicate_id ……）、cc_flags、src_line（在源文件中的行号）、lon_cgcs / lat_cgcs、每个规划图层的 &amp;lt;layer&amp;gt;_in 和 &amp;lt;layer&amp;gt;_class，以及每个栅格波段一列。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="186" />
            <source>&lt;p&gt;Moves points, lines or polygons between the Chinese web-map datums and WGS84 / CGCS2000, e.g. to overlay points picked on AMap or Baidu maps with survey data, or the reverse.&lt;/p&gt;&lt;p&gt;&lt;b&gt;GCJ-02&lt;/b&gt; (国测局坐标, "Mars coordinates") is WGS84 with a deliberate, irregular offset of a few hundred metres that Chinese regulations require of published maps. AMap (高德), Tencent (腾讯) and Google's map of China use it. It applies only inside a rectangle around China (72.004–137.8347°E, 0.8293–55.8271°N); points outside are left unchanged.&lt;/p&gt;&lt;p&gt;&lt;b&gt;BD-09&lt;/b&gt; (百度坐标) is Baidu's own second offset on top of GCJ-02, about 1 km more.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Beware of labels&lt;/b&gt;: data from AMap or Tencent labelled EPSG:4326 / WGS84 is really GCJ-02, and from Baidu it is BD-09. Choose the datum the coordinates are really in, not the one the file claims.&lt;/p&gt;&lt;p&gt;WGS84 and CGCS2000 are treated as the same datum (they differ by centimetres). Converting to GCJ-02 or BD-09 is exact; converting back is iterative, to better than 1 cm (the common one-step formula is off by up to about 5 m).&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Input layer&lt;/b&gt;: any vector layer. Lon/lat data is converted as it is; projected data (e.g. EPSG:3857 web-map tiles) is unprojected, converted and projected back.&lt;/li&gt;&lt;li&gt;&lt;b&gt;From datum&lt;/b&gt;, &lt;b&gt;To datum&lt;/b&gt;: wgs84, cgcs2000, gcj02 or bd09 (scripts and qgis_process give them by name, e.g. FROM=gcj02 TO=cgcs2000).&lt;/li&gt;&lt;/ul&gt;</source>
            <translation>&lt;p&gt;在国内网络地图坐标系与 WGS84 / CGCS2000 之间转换点、线、面，例如把在高德或百度地图上拾取的点与测绘数据叠加，或反向转换。&lt;/p&gt;&lt;p&gt;&lt;b&gt;GCJ-02&lt;/b&gt;（国测局坐标，俗称“火星坐标”）是在 WGS84 上人为加入数百米不规则偏移的坐标，我国法规要求公开出版的地图采用。高德、腾讯以及 Google 中国地图均使用它。偏移只在中国周边的矩形范围内（东经 72.004°–137.8347°，北纬 0.8293°–55.8271°）生效；范围外的点保持不变。&lt;/p&gt;&lt;p&gt;&lt;b&gt;BD-09&lt;/b&gt;（百度坐标）是百度在 GCJ-02 基础上再加的一层偏移，约再偏 1 km。&lt;/p&gt;&lt;p&gt;&lt;b&gt;注意数据标注&lt;/b&gt;：来自高德或腾讯、标为 EPSG:4326 / WGS84 的数据实际是 GCJ-02，来自百度的则是 BD-09。请选择坐标实际所属的坐标系，而不是文件所声明的坐标系。&lt;/p&gt;&lt;p&gt;WGS84 与 CGCS2000 视为同一坐标系（两者仅差厘米级）。转换到 GCJ-02 或 BD-09 是精确的；反向转换采用迭代计算，精度优于 1 cm（常见的一步公式误差可达约 5 m）。&lt;/p&gt;&lt;h3&gt;参数&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;输入图层&lt;/b&gt;：任意矢量图层。经纬度数据直接转换；投影数据（如 EPSG:3857 网络地图瓦片）先反算为经纬度，转换后再投影回去。&lt;/li&gt;&lt;li&gt;&lt;b&gt;源坐标系&lt;/b&gt;、&lt;b&gt;目标坐标系&lt;/b&gt;：wgs84、cgcs2000、gcj02 或 bd09（脚本和 qgis_process 按名称指定，如 FROM=gcj02 TO=cgcs2000）。&lt;/li&gt;&lt;/ul&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="186" />
            <source>&lt;p&gt;&lt;b&gt;From datum&lt;/b&gt; &lt;i&gt;Detect automatically&lt;/i&gt; (FROM=auto) converts from the datum the layer's seat points, its fields (DataV/AMap, Baidu) or its names show, and stops when they show none clearly.&lt;/p&gt;&lt;h3&gt;Output&lt;/h3&gt;&lt;p&gt;The input features and fields, with converted geometries (Z and M kept). Lon/lat output is labelled EPSG:4490 for CGCS2000 and EPSG:4326 otherwise; projected input keeps its CRS.&lt;/p&gt;</source>
            <translation>&lt;p&gt;&lt;b&gt;源坐标系&lt;/b&gt;选择&lt;i&gt;自动识别&lt;/i&gt;（FROM=auto）时，按图层的驻地点、字段（DataV/高德、百度）或名称所显示的坐标系进行转换；若都无法明确判断则停止。&lt;/p&gt;&lt;h3&gt;输出&lt;/h3&gt;&lt;p&gt;输入的要素和字段，几何图形已转换（保留 Z 值和 M 值）。经纬度输出在 CGCS2000 时标为 EPSG:4490，其他情况标为 EPSG:4326；投影数据保持原坐标系。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="215" />
            <source>&lt;p&gt;Prints coded buildings or projects: a single map, an atlas with one page per division (township), or a code card per feature with its code, name, division, overlaps with the planning layers, linked codes, a small map and a QR code.&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Coded layer&lt;/b&gt;: the output of Assign codes (field citycode).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Division layer&lt;/b&gt; and &lt;b&gt;division code field&lt;/b&gt;: boundaries on the map; the atlas makes a page per division. Division names come from a field called name (or mc, 名称).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Planning layers&lt;/b&gt;: drawn with the 三区三线 / 用地用海 styles, named by their kind or their own name (the layer inside a GeoPackage, not the file's); the cards list the feature's overlap with each. None chosen: the project's planning layers (those Planning layers… loaded, those of the group named in the CityCode settings, those recognised as 三区三线 / 用地用海).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Template&lt;/b&gt;: A4 or A3, landscape or portrait, or your own .qpt (it needs a map item with the id 'map'; labels may use @citycode_title, @citycode_issuer and @citycode_crs).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Issuing unit&lt;/b&gt; and &lt;b&gt;QR URL template&lt;/b&gt;: empty = from the CityCode settings. With a URL template such as https://example.gov.cn/code/{code} the QR code holds that address, otherwise the code.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Codes&lt;/b&gt;: the codes to make cards for (separated by commas, spaces or new lines); or tick &lt;b&gt;selected features only&lt;/b&gt;; neither = a card for every coded feature.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Format&lt;/b&gt;: PDF (one file, a page per division or card) or PNG (one file per page, named after the output file and the division or code).&lt;/li&gt;&lt;/ul&gt;</source>
            <translation>&lt;p&gt;输出已赋码的建筑物或项目：单幅地图、每个行政区划（乡镇）一页的图集，或每个要素一张编码卡——卡上有编码、名称、行政区划、与规划图层的叠加情况、关联编码、位置小图和二维码。&lt;/p&gt;&lt;h3&gt;参数&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;已赋码图层&lt;/b&gt;：赋码工具的输出（citycode 字段）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;行政区划图层&lt;/b&gt;和&lt;b&gt;区划代码字段&lt;/b&gt;：地图上的区划界线；图集为每个行政区划生成一页。区划名称取自名为 name（或 mc、名称）的字段。&lt;/li&gt;&lt;li&gt;&lt;b&gt;规划图层&lt;/b&gt;：按三区三线 / 用地用海样式绘制，以其类别或自身名称命名（GeoPackage 内的图层名，而非文件名）；编码卡列出要素与各图层的叠加情况。未选择时取项目中的规划图层（由“规划图层…”加载的、城市码设置中指定图层组内的、被识别为三区三线 / 用地用海的图层）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;模板&lt;/b&gt;：A4 或 A3，横向或纵向，或您自己的 .qpt（须含一个 id 为 'map' 的地图项；标签中可使用 @citycode_title、@citycode_issuer 和 @citycode_crs）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;出图单位&lt;/b&gt;和&lt;b&gt;二维码网址模板&lt;/b&gt;：留空 = 取自城市码设置。使用 https://example.gov.cn/code/{code} 这样的网址模板时，二维码内容为相应网址，否则为编码本身。&lt;/li&gt;&lt;li&gt;&lt;b&gt;编码&lt;/b&gt;：要制作编码卡的编码（以逗号、空格或换行分隔）；或勾选&lt;b&gt;仅为所选要素制作编码卡&lt;/b&gt;；两者都不设置 = 为每个已赋码要素各制作一张卡。&lt;/li&gt;&lt;li&gt;&lt;b&gt;格式&lt;/b&gt;：PDF（单个文件，每个行政区划或每张卡一页）或 PNG（每页一个文件，以输出文件名加行政区划或编码命名）。&lt;/li&gt;&lt;/ul&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="215" />
            <source>&lt;h3&gt;On paper&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;Atlas: code labels are at least 6 pt on paper and never overlap; when some building of a page cannot be labelled, a table of the codes of its division follows the page.&lt;/li&gt;&lt;li&gt;Cards: one A5 page each. &lt;b&gt;Cards for the features of this division&lt;/b&gt; limits them to one division; the log says how many pages there are before printing, and more than {} are printed only with &lt;b&gt;print them all&lt;/b&gt; ticked.&lt;/li&gt;&lt;/ul&gt;</source>
            <translation>&lt;h3&gt;纸面效果&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;图集：编码注记在纸面上不小于 6 磅，且互不重叠；某页有建筑物无法注记时，该页之后附上本乡镇（街道）的编码表。&lt;/li&gt;&lt;li&gt;编码卡：每张一页 A5。&lt;b&gt;仅为此行政区划的要素制作编码卡&lt;/b&gt;可限定为一个行政区划；打印前日志会显示页数，超过 {} 页时须勾选&lt;b&gt;全部打印&lt;/b&gt;才会打印。&lt;/li&gt;&lt;/ul&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="247" />
            <source>&lt;p&gt;Writes a layer (e.g. the coded buildings) in a format other systems read: GeoPackage, Shapefile, CSV, Excel (XLSX) or GeoJSON. Codes stay text, Chinese text stays intact, and whatever a format cannot hold as it is is changed and listed in the log and the REPORT output, with the features concerned (by their code, else their row number). The file appears complete or not at all.&lt;/p&gt;&lt;h3&gt;Formats&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;gpkg&lt;/b&gt;: everything as it is (the fastest).&lt;/li&gt;&lt;li&gt;&lt;b&gt;shp&lt;/b&gt;: field names of at most 10 bytes (the full names are in &lt;i&gt;name&lt;/i&gt;.fields.csv beside it), text of at most 254 bytes (longer values are cut and listed), date-times as text, at most 2 GB per file (refused before writing). A .cpg file says the encoding.&lt;/li&gt;&lt;li&gt;&lt;b&gt;csv&lt;/b&gt;: UTF-8 with a BOM so Excel shows Chinese right, a .csvt beside it so GIS programs keep codes as text. Excel ignores the .csvt: opening a CSV, it turns digit-only text into numbers (a 23-digit code becomes 3.4E+22, leading zeros go) and 1-2 into a date. Tick &lt;i&gt;CSV for Excel&lt;/i&gt; to write such values as ="...", a formula whose result is the text itself, which every Excel shows as it is (a leading apostrophe or tab would stay in the cell); other programs then read those characters too. Without it, the log lists the fields Excel would spoil.&lt;/li&gt;&lt;li&gt;&lt;b&gt;xlsx&lt;/b&gt; (the choice for Excel users): text is written as text cells, so codes show as they are and stay text. At most 1 048 575 rows.&lt;/li&gt;&lt;li&gt;&lt;b&gt;geojson&lt;/b&gt;: RFC 7946: WGS84 longitude/latitude, 7 decimals (about 1 cm).&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Encoding&lt;/b&gt; (Shapefile): UTF-8, or GBK for ArcGIS 10.x and older Chinese systems (the .cpg then says 936, the code page of GBK, and so does the .dbf's code page byte). Text GBK cannot hold (rare characters such as 𠀾, emoji) stops the export with the features listed; choose UTF-8 then, or tick &lt;i&gt;Write '?' for characters GBK cannot hold&lt;/i&gt;.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Fields&lt;/b&gt;: the fields to write, in this order (empty: all).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Datum&lt;/b&gt;: as_input keeps the layer's CRS (GeoJSON: WGS84); wgs84 / cgcs2000 write longitude/latitude. CGCS2000 and WGS84 differ by centimetres, so CGCS2000 data goes to WGS84 as it is. gcj02 (AMap/Tencent's offset datum) is written only when chosen here.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Geometry&lt;/b&gt; (CSV, XLSX): a WKT column, the x/y of a point (for lines and polygons their centroid or a point surely inside them, in the chosen datum), or none.&lt;/li&gt;&lt;/ul&gt;</source>
            <translation>&lt;p&gt;将图层（如已赋码建筑物）写为其他系统可读取的格式：GeoPackage、Shapefile、CSV、Excel（XLSX）或 GeoJSON。编码保持为文本，中文保持完整；格式无法原样容纳的内容会被改写，并在日志和 REPORT 输出中列出，同时注明涉及的要素（按编码，无编码时按行号）。文件要么完整生成，要么根本不生成。&lt;/p&gt;&lt;h3&gt;格式&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;gpkg&lt;/b&gt;：全部原样保留（速度最快）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;shp&lt;/b&gt;：字段名最多 10 字节（完整字段名见同目录下的 &lt;i&gt;name&lt;/i&gt;.fields.csv），文本最多 254 字节（超长的值会被截断并列出），日期时间写为文本，每个文件最大 2 GB（超出时在写入前即拒绝）。.cpg 文件注明字符编码。&lt;/li&gt;&lt;li&gt;&lt;b&gt;csv&lt;/b&gt;：带 BOM 的 UTF-8，使 Excel 能正确显示中文；同目录下附 .csvt 文件，使 GIS 软件将编码保留为文本。Excel 会忽略 .csvt：打开 CSV 时，它会把纯数字文本转为数字（23 位编码变成 3.4E+22，前导零丢失），把 1-2 转为日期。勾选&lt;i&gt;CSV 供 Excel 使用&lt;/i&gt;后，这类值写为 ="..."——一个结果即为该文本本身的公式，任何版本的 Excel 都会按原样显示（开头加撇号或制表符的做法会把这些字符留在单元格里）；其他程序读取时也会读到这些字符。不勾选时，日志会列出会被 Excel 改坏的字段。&lt;/li&gt;&lt;li&gt;&lt;b&gt;xlsx&lt;/b&gt;（Excel 用户的首选）：文本写为文本单元格，编码按原样显示并保持为文本。最多 1 048 575 行。&lt;/li&gt;&lt;li&gt;&lt;b&gt;geojson&lt;/b&gt;：RFC 7946：WGS84 经纬度，保留 7 位小数（约 1 cm）。&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;参数&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;字符编码&lt;/b&gt;（Shapefile）：UTF-8，或 GBK（用于 ArcGIS 10.x 及较旧的国内系统；此时 .cpg 写为 936，即 GBK 的代码页，.dbf 的代码页字节也同样标明）。遇到 GBK 无法表示的文本（如 𠀾 等生僻字、emoji）时会停止导出并列出相关要素；此时请选择 UTF-8，或勾选&lt;i&gt;GBK 无法表示的字符写为“?”&lt;/i&gt;。&lt;/li&gt;&lt;li&gt;&lt;b&gt;字段&lt;/b&gt;：要写出的字段，按此顺序排列（留空：全部）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;坐标基准&lt;/b&gt;：as_input 保持图层的坐标系（GeoJSON 为 WGS84）；wgs84 / cgcs2000 写出经纬度。CGCS2000 与 WGS84 仅差厘米级，因此 CGCS2000 数据按原样作为 WGS84 写出。gcj02（高德/腾讯的加偏坐标基准）只有在此处选择时才会写出。&lt;/li&gt;&lt;li&gt;&lt;b&gt;几何图形&lt;/b&gt;（CSV、XLSX）：WKT 列、点的 x/y（线和面取其质心或必定位于其内部的点，按所选坐标基准），或不输出几何图形。&lt;/li&gt;&lt;/ul&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="280" />
            <source>&lt;p&gt;Writes one GeoPackage to take into the field, where there is no network: the features of an area with their codes, its divisions, the planning layers reaching into it, a copy of the area's codes, and a block of sequence numbers per division and year reserved for the package in the shared registry. Codes issued from the package (Assign unified codes, Code monitoring points or the code form with the package as registry) come only from its blocks, so packages coded on several laptops and the office never give out the same code. Bring the work back with 'Check in a field package'.&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Shared registry&lt;/b&gt;: where the codes are kept (file or PostgreSQL).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Features&lt;/b&gt;: buildings, projects ... to take along (with their citycode field).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Divisions&lt;/b&gt;, &lt;b&gt;division code field&lt;/b&gt;: township/street polygons.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Area&lt;/b&gt;: division codes separated by commas, or an extent (the divisions it touches).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Code profiles&lt;/b&gt;, &lt;b&gt;years&lt;/b&gt;: the blocks to reserve (years separated by commas, empty = this year; profiles without a year segment ignore them).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Block size&lt;/b&gt;: sequence numbers per division and year; a block used up in the field gives the status 'exhausted', never a code outside it.&lt;/li&gt;&lt;/ul&gt;</source>
            <translation>&lt;p&gt;生成一个 GeoPackage，带到没有网络的外业现场使用：其中包含某一区域的要素及其编码、该区域的行政区划、延伸到该区域内的规划图层、该区域编码的副本，以及在共享编码库中为此外业包按区划和年份预留的顺序号号段。从外业包发放的编码（以外业包作为编码库运行“统一赋码”“监测点赋码”或使用赋码表单）只取自其号段，因此多台笔记本电脑上的外业包与办公室绝不会发放相同的编码。外业完成后，用“检入外业包”将成果带回。&lt;/p&gt;&lt;h3&gt;参数&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;共享编码库&lt;/b&gt;：保存编码的位置（文件或 PostgreSQL）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;要素&lt;/b&gt;：要带出的建筑物、项目等（连同其 citycode 字段）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;行政区划&lt;/b&gt;、&lt;b&gt;区划代码字段&lt;/b&gt;：乡镇/街道面图层。&lt;/li&gt;&lt;li&gt;&lt;b&gt;区域&lt;/b&gt;：以逗号分隔的区划代码，或一个范围（取与之相交的行政区划）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;编码方案&lt;/b&gt;、&lt;b&gt;年份&lt;/b&gt;：要预留的号段（年份以逗号分隔，留空 = 当年；没有年份码段的编码方案忽略年份）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;号段大小&lt;/b&gt;：每个区划每年的顺序号个数；外业中号段用尽时状态为 'exhausted'，绝不会发放号段以外的编码。&lt;/li&gt;&lt;/ul&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="300" />
            <source>&lt;p&gt;Merges what was done with a field package back into the shared registry, in one transaction: codes issued in the field (checked to lie in the package's reserved blocks, otherwise nothing is checked in), edited names and linked codes, retirements, splits and merges. Running it again changes nothing. A code changed in the registry since the check-out and also in the package is not applied: it is kept as a conflict with both versions until you resolve it ('Resolve a field package conflict', or the conflicts dialog).&lt;/p&gt;&lt;p&gt;Then the features come home: the package's buildings (projects ...) are written to the layer they were checked out from, or to the &lt;b&gt;target layer&lt;/b&gt;, matched by their code: features coded in the field are added, features moved or edited in the field are updated (the target's own fields; reprojected when its CRS differs). A feature changed in the target too since the check-out is not overwritten: it becomes a conflict with both versions. A feature whose code was retired in the field stays in the layer, with cc_status 'retired' when the layer has that field. The registry is saved first; when the layer cannot be saved, run the check-in again once it can: it finishes the job without doing anything twice. Save or discard your own edits of the target layer first.&lt;/p&gt;</source>
            <translation>&lt;p&gt;在一个事务中将使用外业包完成的工作合并回共享编码库：外业中发放的编码（会检查其是否位于外业包的预留号段内，否则不检入任何内容）、修改的名称和关联编码、注销、拆分与合并。重复运行不会产生任何更改。检出后在编码库中被修改、同时在外业包中也被修改的编码不予应用：它将作为冲突保留两个版本，直到您解决该冲突（使用“解决外业包冲突”或冲突对话框）。&lt;/p&gt;&lt;p&gt;随后要素写回原处：外业包中的建筑物（项目等）按编码匹配，写入其检出时的来源图层或&lt;b&gt;目标图层&lt;/b&gt;：外业中赋码的要素将被添加，外业中移动或编辑过的要素将被更新（只更新目标图层自有的字段；坐标系不同时会重投影）。检出后在目标图层中也被修改过的要素不会被覆盖，而是作为冲突保留两个版本。编码在外业中被注销的要素仍保留在图层中；若图层有 cc_status 字段，其值设为 'retired'。编码库先行保存；如果图层无法保存，请在其可以保存后再次运行检入：检入会完成剩余的工作，不会重复执行任何操作。请先保存或放弃您自己对目标图层所做的编辑。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="318" />
            <source>&lt;p&gt;Settles a conflict left by a check-in: keep the registry's version of the code, or apply the package's. Either way the conflict is closed and the registry's history records who chose what. For a feature changed both in the field and in the target layer, 'package' writes the package's feature to that layer.&lt;/p&gt;</source>
            <translation>&lt;p&gt;解决检入时留下的冲突：保留编码库中该编码的版本，或应用外业包中的版本。无论选择哪种，冲突都会关闭，编码库的历史记录中会记下由谁作出了何种选择。对于在外业和目标图层中都被修改过的要素，选择 'package' 会将外业包中的要素写入该图层。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="326" />
            <source>&lt;p&gt;Reads monitoring points (stations, survey marks, sensors) from the files staff receive and makes a point layer in CGCS2000 longitude/latitude (EPSG:4490). Coordinates may be decimal degrees, degrees-minutes-seconds text in any notation (117°15′04″, 117度15分04秒, 117 15 04, 东经117:15:04), the degrees.minutes numbers of station lists, or Gauss-Krüger metres; in CGCS2000/WGS84 or in a web-map datum. Nothing is dropped silently: every row that cannot be imported is listed with its line in the file, the column, the value and why.&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Points file&lt;/b&gt;: CSV/TXT (UTF-8 or GBK, any delimiter; delimited text is read as such whatever its extension, e.g. a station list saved as .ini or .dat), XLSX, GeoJSON, GeoPackage or shapefile. Station lists: degrees and minutes as whole numbers (纬度 3954 = 39°54′) are read as such; an altitude column (海拔高度, altitude ...) whose estimated values carry 10000 m (or 100000 in 0.1 m) gets alt_true (metres) and alt_flag (estimated); text with characters lost for good ('?', U+FFFD, 锟斤拷) is named per row in text_lost.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Sheet or layer&lt;/b&gt;: of a spreadsheet or GeoPackage (empty: the first).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Longitude / X column&lt;/b&gt;, &lt;b&gt;Latitude / Y column&lt;/b&gt;: empty: found by name (经度, 纬度, lon, X ...) or by value. Give only the first for a column holding both ("117.25, 31.85").&lt;/li&gt;&lt;li&gt;&lt;b&gt;Coordinate format&lt;/b&gt;: how plain numbers are read: auto (decimal degrees unless the header or the values say degrees.minutes), decimal, dm (116.2030 = 116°20.30′), dms_packed (116.2030 = 116°20′30″). Text with degree/minute/second marks is always read as such.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Datum&lt;/b&gt;: auto (the layer's CRS, else a hint in the header or file name such as 高德, 百度, GCJ, else CGCS2000), or the datum the coordinates are really in: WGS84, CGCS2000, GCJ02 (AMap/Tencent), BD09 (Baidu).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Id column&lt;/b&gt;: the points' ids (empty: found by name, e.g. 点位编号); without one a point is identified by its coordinates as written. Repeated ids are reported, the first kept.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Text encoding&lt;/b&gt;: auto (byte order mark, else UTF-8, else GBK), UTF-8 or GBK.&lt;/li&gt;&lt;li&gt;&lt;b&gt;CRS of coordinates in metres&lt;/b&gt;: empty: inferred from the values (CGCS2000 Gauss-Krüger zones).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Problems report&lt;/b&gt; (optional): .html, .csv or .json, every row not imported with its line, column, value and reason.&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Outputs&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Points&lt;/b&gt;: the file's columns, plus &lt;b&gt;src_line&lt;/b&gt; (the row's line in the file: CSV lines counted from the header as line 1, spreadsheet rows, feature ids), &lt;b&gt;lon_cgcs&lt;/b&gt; and &lt;b&gt;lat_cgcs&lt;/b&gt; (CGCS2000 degrees).&lt;/li&gt;&lt;li&gt;&lt;b&gt;POINTS&lt;/b&gt;, &lt;b&gt;NOT_IMPORTED&lt;/b&gt;: points imported, rows not imported.&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;The format, datum and columns found are written to the log.&lt;/p&gt;</source>
            <translation>&lt;p&gt;从工作人员收到的文件中读取监测点（监测站、测量标志、传感器），生成 CGCS2000 经纬度（EPSG:4490）的点图层。坐标可以是十进制度、任意写法的度分秒文本（117°15′04″、117度15分04秒、117 15 04、东经117:15:04）、站点表中的度.分数值，或高斯-克吕格米制坐标；坐标基准可以是 CGCS2000/WGS84，也可以是网络地图坐标基准。不会悄悄丢弃任何数据：每个无法导入的行都会连同其在文件中的行号、列、值及原因一并列出。&lt;/p&gt;&lt;h3&gt;参数&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;点位文件&lt;/b&gt;：CSV/TXT（UTF-8 或 GBK，任意分隔符；分隔符文本无论扩展名如何都按分隔符文本读取，如存为 .ini 或 .dat 的站点表）、XLSX、GeoJSON、GeoPackage 或 Shapefile。站点表：连写为整数的度和分（纬度 3954 = 39°54′）按此读取；海拔列（海拔高度、altitude ……）中估测值加了 10000 米（以 0.1 米为单位时为 100000）的，输出 alt_true（米）和 alt_flag（estimated，估测）；含已无法恢复字符（“?”、U+FFFD、锟斤拷）的文本，逐行在 text_lost 中注明。&lt;/li&gt;&lt;li&gt;&lt;b&gt;工作表或图层&lt;/b&gt;：电子表格的工作表或 GeoPackage 的图层（留空：第一个）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;经度 / X 列&lt;/b&gt;、&lt;b&gt;纬度 / Y 列&lt;/b&gt;：留空：按列名（经度、纬度、lon、X ……）或按数值识别。若某一列同时包含经纬度（"117.25, 31.85"），只在第一项中填写该列。&lt;/li&gt;&lt;li&gt;&lt;b&gt;坐标格式&lt;/b&gt;：纯数字的读取方式：auto（十进制度，除非表头或数值表明是度.分）、decimal（十进制度）、dm（116.2030 = 116°20.30′）、dms_packed（116.2030 = 116°20′30″）。带度/分/秒符号的文本始终按度分秒读取。&lt;/li&gt;&lt;li&gt;&lt;b&gt;坐标基准&lt;/b&gt;：auto（图层的坐标系；否则依据表头或文件名中的提示，如 高德、百度、GCJ；否则 CGCS2000），或坐标实际所属的坐标基准：WGS84、CGCS2000、GCJ02（高德/腾讯）、BD09（百度）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;编号列&lt;/b&gt;：点位编号（留空：按列名查找，如 点位编号）；没有编号时，按原样书写的坐标识别点位。编号重复时会报告，并保留第一个。&lt;/li&gt;&lt;li&gt;&lt;b&gt;字符编码&lt;/b&gt;：auto（字节顺序标记，否则 UTF-8，否则 GBK）、UTF-8 或 GBK。&lt;/li&gt;&lt;li&gt;&lt;b&gt;米制坐标的坐标系&lt;/b&gt;：留空：按数值推断（CGCS2000 高斯-克吕格投影带）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;问题报告&lt;/b&gt;（可选）：.html、.csv 或 .json，列出每个未导入的行及其行号、列、值和原因。&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;输出&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;点位&lt;/b&gt;：文件中的各列，另加 &lt;b&gt;src_line&lt;/b&gt;（该行在文件中的行号：CSV 以表头为第 1 行计数，电子表格为行号，其他为要素 ID）、&lt;b&gt;lon_cgcs&lt;/b&gt; 和 &lt;b&gt;lat_cgcs&lt;/b&gt;（CGCS2000 经纬度，单位为度）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;POINTS&lt;/b&gt;、&lt;b&gt;NOT_IMPORTED&lt;/b&gt;：已导入的点位数、未导入的行数。&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;识别出的坐标格式、坐标基准和列会写入日志。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="365" />
            <source>&lt;p&gt;Stores what was measured at coded monitoring points in the code registry, checks it against thresholds and lists the exceedances. The file may be long (one row per point, time and variable: 点位编号, 监测时间, 监测项目, 监测值, 单位) or wide (one column per variable, the unit in the header: PM2.5(μg/m³)). Values below the detection limit ("&amp;lt;0.01", "0.01L") are kept as such and never exceed an upper limit. Importing the same file again adds nothing; a value that differs from the stored one is a conflict.&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Observations file&lt;/b&gt;: CSV (UTF-8 or GBK) or XLSX.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Code registry&lt;/b&gt;: the registry the points were coded into (empty: the one in the CityCode settings).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Namespace of the point ids&lt;/b&gt;: the file's point column may hold codes, or the ids of the points file that was coded. Ids are looked up under this namespace: the name of that points file without its extension (monitoring_points for monitoring_points.csv) or of its layer, unless the coding run gave another. Empty: the file must hold codes.&lt;/li&gt;&lt;li&gt;&lt;b&gt;When a stored value differs&lt;/b&gt;: keep the stored value, or replace it; either way the conflict is reported and audited.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Thresholds&lt;/b&gt; (optional): a CSV with the columns 指标 (variable), 下限 (lower), 上限 (upper), 单位 (unit), stored in the registry before the import; a value exactly at a limit does not exceed it.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Point / time / variable / value / unit column&lt;/b&gt;: empty: found by name.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Report&lt;/b&gt; (optional, .html, .csv or .json): every row not stored as it came, with its line and the reason (unreadable, unknown point, repeated, conflict, unit that does not convert).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Exceedances&lt;/b&gt; (optional CSV): the observations of this file that exceed their threshold, as stored after the import, with the point id and line in the file.&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Outputs&lt;/h3&gt;&lt;p&gt;&lt;b&gt;ADDED&lt;/b&gt;, &lt;b&gt;UNCHANGED&lt;/b&gt; (already stored with the same value), &lt;b&gt;CONFLICTS&lt;/b&gt;, &lt;b&gt;UNRESOLVED&lt;/b&gt; (point not found), &lt;b&gt;INVALID&lt;/b&gt; (unreadable or repeated rows), &lt;b&gt;EXCEEDANCES_COUNT&lt;/b&gt;.&lt;/p&gt;</source>
            <translation>&lt;p&gt;将已赋码监测点的监测数据存入编码库，与限值比较并列出超标数据。文件可以是长表（每个点位、时间和监测指标一行：点位编号、监测时间、监测项目、监测值、单位），也可以是宽表（每个监测指标一列，单位写在表头中：PM2.5(μg/m³)）。低于检出限的值（"&amp;lt;0.01"、"0.01L"）按原样保存，且永远不会超过上限。再次导入同一文件不会新增任何数据；与已存值不同的值视为冲突。&lt;/p&gt;&lt;h3&gt;参数&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;监测数据文件&lt;/b&gt;：CSV（UTF-8 或 GBK）或 XLSX。&lt;/li&gt;&lt;li&gt;&lt;b&gt;编码库&lt;/b&gt;：点位赋码时所用的编码库（留空：城市码设置中的编码库）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;点位编号的命名空间&lt;/b&gt;：文件中的点位列可以是编码，也可以是已赋码点位文件中的编号。编号在此命名空间下查找：即该点位文件去掉扩展名后的名称（monitoring_points.csv 为 monitoring_points）或其图层名，除非赋码时另行指定。留空：文件中必须是编码。&lt;/li&gt;&lt;li&gt;&lt;b&gt;与已存值不一致时&lt;/b&gt;：保留已存值，或予以替换；无论哪种情况，冲突都会被报告并记入审计记录。&lt;/li&gt;&lt;li&gt;&lt;b&gt;限值&lt;/b&gt;（可选）：含 指标（variable）、下限（lower）、上限（upper）、单位（unit）列的 CSV，在导入前存入编码库；恰好等于限值的值不算超标。&lt;/li&gt;&lt;li&gt;&lt;b&gt;点位 / 时间 / 监测指标 / 监测值 / 单位列&lt;/b&gt;：留空：按列名查找。&lt;/li&gt;&lt;li&gt;&lt;b&gt;报告&lt;/b&gt;（可选，.html、.csv 或 .json）：所有未按原样存储的行，连同行号和原因（无法读取、未知点位、重复、冲突、单位无法换算）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;超标数据&lt;/b&gt;（可选 CSV）：本文件中超过限值的监测数据（按导入后存储的值），附点位编号及其在文件中的行号。&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;输出&lt;/h3&gt;&lt;p&gt;&lt;b&gt;ADDED&lt;/b&gt;、&lt;b&gt;UNCHANGED&lt;/b&gt;（已以相同的值存储）、&lt;b&gt;CONFLICTS&lt;/b&gt;、&lt;b&gt;UNRESOLVED&lt;/b&gt;（找不到点位）、&lt;b&gt;INVALID&lt;/b&gt;（无法读取或重复的行）、&lt;b&gt;EXCEEDANCES_COUNT&lt;/b&gt;。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="396" />
            <source>&lt;p&gt;Writes the observations stored in the code registry to a CSV (UTF-8 with BOM, for Excel) or XLSX file: one row per point code, variable and time, with the value, its unit, the detection-limit mark, the variable's limits and whether the value exceeds them (empty when its unit does not convert into the threshold's).&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Code registry&lt;/b&gt;: empty: the one in the CityCode settings.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Point codes&lt;/b&gt;: codes separated by commas or new lines (empty: every point).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Variables&lt;/b&gt;: variables separated by commas or new lines, e.g. PM2.5, 噪声 (empty: every variable).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Output file&lt;/b&gt;: .csv or .xlsx.&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Outputs&lt;/h3&gt;&lt;p&gt;&lt;b&gt;ROWS&lt;/b&gt;: observations written.&lt;/p&gt;</source>
            <translation>&lt;p&gt;将编码库中存储的监测数据写入 CSV（带 BOM 的 UTF-8，便于 Excel 打开）或 XLSX 文件：每个点位编码、监测指标和时间一行，包括监测值、单位、检出限标记、该指标的限值，以及是否超标（单位无法换算为限值单位时为空）。&lt;/p&gt;&lt;h3&gt;参数&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;编码库&lt;/b&gt;：留空：城市码设置中的编码库。&lt;/li&gt;&lt;li&gt;&lt;b&gt;点位编码&lt;/b&gt;：以逗号或换行分隔的编码（留空：全部点位）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;监测指标&lt;/b&gt;：以逗号或换行分隔的监测指标，如 PM2.5、噪声（留空：全部指标）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;输出文件&lt;/b&gt;：.csv 或 .xlsx。&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;输出&lt;/h3&gt;&lt;p&gt;&lt;b&gt;ROWS&lt;/b&gt;：写出的监测数据条数。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="411" />
            <source>&lt;p&gt;Measures how much of each building lies in each planning layer (三区三线: 生态保护红线, 永久基本农田, 城镇开发边界, …). Codes and the registry are not touched.&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Buildings&lt;/b&gt;: polygons to check.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Planning layers&lt;/b&gt;: one or more polygon layers; each layer's name names its output fields (e.g. 生态保护红线_area).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Buildings: coordinates really in&lt;/b&gt;: for layers drawn on Chinese web maps, which label GCJ-02 (AMap, Tencent) or BD-09 (Baidu) coordinates as WGS84; they are moved to CGCS2000 first.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Engine&lt;/b&gt;: auto picks the fast file reader when it can, otherwise QGIS.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Report&lt;/b&gt;: an HTML or JSON summary.&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Inside PostGIS (province scale)&lt;/h3&gt;&lt;p&gt;When the buildings and every planning layer are PostGIS tables of one database, the check runs inside the database as set-based SQL (same areas); the result is a table there: choose &lt;i&gt;Save to PostGIS table…&lt;/i&gt; for the output, or name it in &lt;b&gt;Output table&lt;/b&gt; (schema.table; from qgis_process: OUTPUT_TABLE=public.buildings_overlay); left temporary, it is &amp;lt;buildings table&amp;gt;_overlay beside the buildings, replaced when it exists. Otherwise the check runs in QGIS and the log says why.&lt;/p&gt;&lt;h3&gt;Output fields&lt;/h3&gt;&lt;p&gt;The building fields, plus for each planning layer:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;&amp;lt;layer&amp;gt;_area&lt;/b&gt;: area of overlap (square metres).&lt;/li&gt;&lt;li&gt;&lt;b&gt;&amp;lt;layer&amp;gt;_pct&lt;/b&gt;: that area as a percentage of the building.&lt;/li&gt;&lt;li&gt;&lt;b&gt;&amp;lt;layer&amp;gt;_hit&lt;/b&gt;: 1 when the building overlaps the layer (slivers below 0.01 m² do not count).&lt;/li&gt;&lt;/ul&gt;</source>
            <translation>&lt;p&gt;计算每栋建筑物落在各规划图层（三区三线：生态保护红线、永久基本农田、城镇开发边界……）内的面积。不改动编码和编码库。&lt;/p&gt;&lt;h3&gt;参数&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;建筑物&lt;/b&gt;：待核查的面图层。&lt;/li&gt;&lt;li&gt;&lt;b&gt;规划图层&lt;/b&gt;：一个或多个面图层；输出字段以各图层的名称命名（如 生态保护红线_area）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;建筑物：坐标实际所属坐标系&lt;/b&gt;：用于在国内网络地图上绘制的图层——这类数据把 GCJ-02（高德、腾讯）或 BD-09（百度）坐标标注为 WGS84；处理前先将其转换到 CGCS2000。&lt;/li&gt;&lt;li&gt;&lt;b&gt;计算引擎&lt;/b&gt;：自动——能用快速文件读取时即用之，否则使用 QGIS。&lt;/li&gt;&lt;li&gt;&lt;b&gt;报告&lt;/b&gt;：HTML 或 JSON 格式的汇总。&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;在 PostGIS 内运行（省级数据量）&lt;/h3&gt;&lt;p&gt;当建筑物和所有规划图层都是同一数据库中的 PostGIS 表时，核查以基于集合的 SQL 在数据库内运行（面积结果相同）；结果为该数据库中的一张表：在输出处选择&lt;i&gt;保存到 PostGIS 表…&lt;/i&gt;，或在&lt;b&gt;输出表&lt;/b&gt;中指定表名（schema.table；在 qgis_process 中为 OUTPUT_TABLE=public.buildings_overlay）；若保留为临时输出，则为建筑物表所在模式中的 &amp;lt;建筑物表名&amp;gt;_overlay，已存在时将被替换。否则核查在 QGIS 中运行，日志中会说明原因。&lt;/p&gt;&lt;h3&gt;输出字段&lt;/h3&gt;&lt;p&gt;建筑物原有字段，另为每个规划图层加：&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;&amp;lt;layer&amp;gt;_area&lt;/b&gt;：叠加面积（平方米）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;&amp;lt;layer&amp;gt;_pct&lt;/b&gt;：叠加面积占建筑物面积的百分比。&lt;/li&gt;&lt;li&gt;&lt;b&gt;&amp;lt;layer&amp;gt;_hit&lt;/b&gt;：建筑物与该图层相交时为 1（小于 0.01 m² 的碎片不计）。&lt;/li&gt;&lt;/ul&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="437" />
            <source>&lt;p&gt;Reads a layer with the right text encoding, repairs text garbled by an earlier wrong reading and reports text lost for good. Typical Chinese data: shapefiles in GBK without a .cpg file, which other programs read as Latin-1 (城关镇 shows as ³Ç¹ØÕò), and copies saved in that state.&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Input file&lt;/b&gt; or &lt;b&gt;input layer&lt;/b&gt;: a shapefile (or any vector file), or a layer of the project. Give one of them.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Encoding&lt;/b&gt;: auto takes the .cpg file of a shapefile, else the code page byte of its .dbf, else what its text decodes as (UTF-8, else GB18030, which covers GBK and GB2312); the log says which and how. Choose an encoding to override it (shapefiles only).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Output&lt;/b&gt;: a GeoPackage or a shapefile (in UTF-8, with a .cpg file).&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;What is repaired&lt;/h3&gt;&lt;p&gt;Text read in the wrong encoding and saved, up to three times over: GBK or UTF-8 read as Latin-1 or cp1252 (城关镇 as ³Ç¹ØÕò), that saved as UTF-8 and read as Latin-1 again (a .cpg saying ISO-8859-1 over UTF-8 bytes), UTF-8 read twice (åŸŽå…³é•‡), and GBK read as UTF-8 where the bytes were kept; in field values and field names. A value counts as repaired only when the result reads as Chinese (common characters, no stray Latin letters or symbols). A wrong .cpg or code page byte (ISO-8859-1 or cp1252 over UTF-8 or GBK text, GBK over UTF-8) is found from the text and said in the log. Every CityCode algorithm reading a layer repairs its text the same way.&lt;/p&gt;&lt;p&gt;Not repaired, left as they are and reported per field: text that looks garbled but gives no Chinese text in any encoding, and text lost for good (锟斤拷, the replacement character �, question marks in place of characters).&lt;/p&gt;&lt;h3&gt;Output fields&lt;/h3&gt;&lt;p&gt;The input fields, plus:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;enc_status&lt;/b&gt;: ok, repaired, garbled (some text of the row garbled beyond repair) or lost (some text of the row lost for good).&lt;/li&gt;&lt;li&gt;&lt;b&gt;enc_fields&lt;/b&gt;: which fields were repaired, garbled or lost.&lt;/li&gt;&lt;/ul&gt;</source>
            <translation>&lt;p&gt;以正确的字符编码读取图层，修复先前因按错误字符编码读取而产生的乱码，并报告已无法恢复的文本。典型的中文数据：没有 .cpg 文件的 GBK 编码 shapefile——其他程序会按 Latin-1 读取（城关镇 显示为 ³Ç¹ØÕò），以及在这种状态下另存的副本。&lt;/p&gt;&lt;h3&gt;参数&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;输入文件&lt;/b&gt;或&lt;b&gt;输入图层&lt;/b&gt;：shapefile（或任意矢量文件），或项目中的图层。二者指定其一。&lt;/li&gt;&lt;li&gt;&lt;b&gt;字符编码&lt;/b&gt;：自动——依次采用 shapefile 的 .cpg 文件、其 .dbf 的代码页字节，否则按文本能否解码来判断（UTF-8，否则 GB18030，后者涵盖 GBK 和 GB2312）；日志会说明采用了哪种字符编码及判断依据。选择某种字符编码可覆盖自动判断（仅限 shapefile）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;修复后图层&lt;/b&gt;：GeoPackage 或 shapefile（UTF-8 编码，附 .cpg 文件）。&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;修复范围&lt;/h3&gt;&lt;p&gt;按错误字符编码读取后又保存的文本，最多可叠加三次：GBK 或 UTF-8 被按 Latin-1 或 cp1252 读取（城关镇 显示为 ³Ç¹ØÕò）；这种文本存为 UTF-8 后又被按 Latin-1 读取（.cpg 写着 ISO-8859-1，实际是 UTF-8 字节）；UTF-8 被重复编码（åŸŽå…³é•‡）；以及 GBK 被按 UTF-8 读取但原字节得以保留的情况；字段值和字段名均修复。只有修复结果读起来是中文（常用汉字，没有夹杂的拉丁字母或符号）时才算已修复。若 .cpg 或代码页字节有误（写着 ISO-8859-1 或 cp1252 而文本实为 UTF-8 或 GBK，或写着 GBK 而文本实为 UTF-8），会根据文本本身识别出来，并在日志中说明。CityCode 的所有读取图层的算法都以同样方式修复文本。&lt;/p&gt;&lt;p&gt;以下情况不修复，保持原样并按字段报告：看似乱码但按任何字符编码都得不到中文的文本，以及已彻底丢失的文本（锟斤拷、替换字符 �、代替原字符的问号）。&lt;/p&gt;&lt;h3&gt;输出字段&lt;/h3&gt;&lt;p&gt;输入图层原有字段，另加：&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;enc_status&lt;/b&gt;：ok（正常）、repaired（已修复）、garbled（该行有文本乱码且无法修复）或 lost（该行有文本已彻底丢失）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;enc_fields&lt;/b&gt;：哪些字段已修复、哪些乱码、哪些有文本丢失。&lt;/li&gt;&lt;/ul&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="465" />
            <source>&lt;p&gt;Adds the values of one or more rasters at each point: a point takes the value of the cell it falls in (on a cell edge, the cell to its right / below, as in GDAL and QGIS). The points may be in any CRS; they are moved into each raster's CRS, never the rasters. The band's scale and offset are applied; the nodata value, NaN and masked cells are missing values. Large rasters are read only around the points.&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Points&lt;/b&gt;: a point layer (a multipoint stands for its first point).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Rasters&lt;/b&gt;: one or more raster layers.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Bands&lt;/b&gt;: band numbers read from every raster, e.g. 1 or 1,3 (empty: every band except alpha bands).&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Output fields&lt;/h3&gt;&lt;p&gt;The input fields, plus per raster band:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;&amp;lt;raster&amp;gt;&lt;/b&gt; (&lt;b&gt;&amp;lt;raster&amp;gt;_b&amp;lt;band&amp;gt;&lt;/b&gt; for a raster with several bands): the value, empty (NULL) where it is missing.&lt;/li&gt;&lt;li&gt;&lt;b&gt;&amp;lt;column&amp;gt;_why&lt;/b&gt; beside each value column: why its value is missing: &lt;i&gt;nodata&lt;/i&gt; (nodata value or masked cell), &lt;i&gt;outside&lt;/i&gt; (the point is not on the raster), &lt;i&gt;no_geometry&lt;/i&gt;; empty when there is a value.&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Outputs&lt;/h3&gt;&lt;p&gt;&lt;b&gt;VALID&lt;/b&gt; and &lt;b&gt;MISSING&lt;/b&gt;: values read and values missing, over every point and band.&lt;/p&gt;</source>
            <translation>&lt;p&gt;为每个点位添加一个或多个栅格在该处的值：点位取其所落栅格单元的值（恰好位于单元边线上时，取其右侧/下方的单元，与 GDAL 和 QGIS 一致）。点位可以是任意坐标系；处理时将点位转换到各栅格的坐标系，而不会对栅格重投影。会应用波段的比例系数和偏移量；无数据值、NaN 和被掩膜的单元视为缺失值。大型栅格只读取点位周围的部分。&lt;/p&gt;&lt;h3&gt;参数&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;点位&lt;/b&gt;：点图层（多点要素取其第一个点）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;栅格&lt;/b&gt;：一个或多个栅格图层。&lt;/li&gt;&lt;li&gt;&lt;b&gt;波段&lt;/b&gt;：从每个栅格读取的波段号，如 1 或 1,3（留空：除 alpha 波段外的全部波段）。&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;输出字段&lt;/h3&gt;&lt;p&gt;输入图层原有字段，另为每个栅格波段加：&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;&amp;lt;raster&amp;gt;&lt;/b&gt;（多波段栅格为 &lt;b&gt;&amp;lt;raster&amp;gt;_b&amp;lt;band&amp;gt;&lt;/b&gt;）：栅格值，缺失时为空（NULL）。&lt;/li&gt;&lt;li&gt;每个值列旁的 &lt;b&gt;&amp;lt;column&amp;gt;_why&lt;/b&gt;：值缺失的原因：&lt;i&gt;nodata&lt;/i&gt;（无数据值或被掩膜的单元）、&lt;i&gt;outside&lt;/i&gt;（点位不在栅格范围内）、&lt;i&gt;no_geometry&lt;/i&gt;（无几何图形）；有值时为空。&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;输出&lt;/h3&gt;&lt;p&gt;&lt;b&gt;VALID&lt;/b&gt; 和 &lt;b&gt;MISSING&lt;/b&gt;：在所有点位和波段上读取到的值数和缺失的值数。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="487" />
            <source>&lt;p&gt;Takes last year's coded buildings and this year's survey and makes this year's coded layer: every new building is matched to the old ones by geometry (share of overlap both ways, shift, area) and classified. Codes are carried, issued or retired, each for a stated reason, and the registry's history shows why.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;unchanged&lt;/b&gt;: moved at most the tolerance, same area: the code is carried.&lt;/li&gt;&lt;li&gt;&lt;b&gt;modified&lt;/b&gt;: the same building changed: the code is carried, the change (area, shift) is recorded with it.&lt;/li&gt;&lt;li&gt;&lt;b&gt;new&lt;/b&gt;: a new code in the division it lies in.&lt;/li&gt;&lt;li&gt;&lt;b&gt;demolished&lt;/b&gt;: the old code is retired with the reason; only inside the surveyed area.&lt;/li&gt;&lt;li&gt;&lt;b&gt;split&lt;/b&gt; / &lt;b&gt;merged&lt;/b&gt;: the registry's split and merge, as the code form does: old codes retired, new ones issued, lineage kept.&lt;/li&gt;&lt;li&gt;&lt;b&gt;ambiguous&lt;/b&gt;: left for review (menu &lt;i&gt;Review a vintage update&lt;/i&gt;); nothing is changed.&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Buildings outside the surveyed area (the &lt;b&gt;surveyed area&lt;/b&gt; polygons, else the survey's convex hull) are untouched and copied to the output with their codes. All registry changes and the output are one transaction; running it again changes nothing.&lt;/p&gt;&lt;h3&gt;Output fields&lt;/h3&gt;&lt;p&gt;The survey's fields, plus the code field, &lt;b&gt;cc_change&lt;/b&gt; (the class), &lt;b&gt;cc_old&lt;/b&gt; (the old code(s) it continues), &lt;b&gt;cc_shift&lt;/b&gt; (m) and &lt;b&gt;cc_area_chg&lt;/b&gt; (new area / old area - 1).&lt;/p&gt;</source>
            <translation>&lt;p&gt;用上一年已赋码的建筑物和本年的调查生成本年的已赋码图层：每栋新建筑物按几何（双向重叠比例、位移、面积）与旧建筑物匹配并分类。编码被沿用、发放或注销，各有说明的理由，编码库的历史记录显示原因。&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;未变化&lt;/b&gt;：位移不超过容差、面积相同：沿用编码。&lt;/li&gt;&lt;li&gt;&lt;b&gt;已变更&lt;/b&gt;：同一建筑物有变化：沿用编码，并记录变化（面积、位移）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;新增&lt;/b&gt;：在其所在区划发放新编码。&lt;/li&gt;&lt;li&gt;&lt;b&gt;已拆除&lt;/b&gt;：原编码注销并记录理由；仅限调查范围内。&lt;/li&gt;&lt;li&gt;&lt;b&gt;拆分&lt;/b&gt; / &lt;b&gt;合并&lt;/b&gt;：编码库的拆分与合并，与编码表单相同：注销原编码，发放新编码，保留谱系。&lt;/li&gt;&lt;li&gt;&lt;b&gt;待核定&lt;/b&gt;：留待核定（菜单 &lt;i&gt;核定年度更新&lt;/i&gt;）；不做任何更改。&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;调查范围（&lt;b&gt;调查范围&lt;/b&gt;面，否则为调查数据的凸包）以外的建筑物保持不变，连同编码复制到输出。编码库的全部更改与输出在同一事务中完成；再次运行不会改变任何内容。&lt;/p&gt;&lt;h3&gt;输出字段&lt;/h3&gt;&lt;p&gt;调查数据的字段，另加编码字段、&lt;b&gt;cc_change&lt;/b&gt;（类别）、&lt;b&gt;cc_old&lt;/b&gt;（所延续的原编码）、&lt;b&gt;cc_shift&lt;/b&gt;（米）和 &lt;b&gt;cc_area_chg&lt;/b&gt;（新面积 / 原面积 - 1）。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/descriptions.py" line="509" />
            <source>&lt;p&gt;Checks the codes in a field: CityCode's own codes and the national codes a unified code links (统一社会信用代码, 不动产单元号, 投资项目代码, GB/T 2260 division codes) — length, layout, allowed characters and letters, year, division code and check characters. Works on any layer or table; a row per input feature comes out.&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Input&lt;/b&gt;: the layer or table holding the codes.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Code field&lt;/b&gt;: the field to check.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Kind of code&lt;/b&gt;: auto recognises the kind of each code by its layout; otherwise every value is checked against the chosen kind. Scripts and qgis_process give it by name, e.g. KIND=auto, KIND=building or KIND=uscc.&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Output fields&lt;/h3&gt;&lt;p&gt;The input fields, plus:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;valid&lt;/b&gt;: true when the code passes every check.&lt;/li&gt;&lt;li&gt;&lt;b&gt;profile&lt;/b&gt;: the kind of code it was checked as (empty when none matched).&lt;/li&gt;&lt;li&gt;&lt;b&gt;reasons&lt;/b&gt;: what is wrong, one reason per line (empty when valid); a valid code may carry a note, e.g. a division code missing from the shipped GB/T 2260 table.&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Kinds of code&lt;/h3&gt;&lt;ul&gt;</source>
            <translation>&lt;p&gt;检查字段中的编码：城市码本身，以及城市码所关联的国家标准代码（统一社会信用代码、不动产单元号、投资项目代码、GB/T 2260 行政区划代码）——长度、结构、允许的字符和字母、年份、区划代码和校验码。适用于任何图层或表；每个输入要素输出一行。&lt;/p&gt;&lt;h3&gt;参数&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;输入图层&lt;/b&gt;：存放编码的图层或表。&lt;/li&gt;&lt;li&gt;&lt;b&gt;编码字段&lt;/b&gt;：要检查的字段。&lt;/li&gt;&lt;li&gt;&lt;b&gt;编码类型&lt;/b&gt;：自动——按编码结构识别每个编码的类型；否则所有值均按所选类型检查。脚本和 qgis_process 按名称指定，如 KIND=auto、KIND=building 或 KIND=uscc。&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;输出字段&lt;/h3&gt;&lt;p&gt;输入图层原有字段，另加：&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;valid&lt;/b&gt;：编码通过全部检查时为 true。&lt;/li&gt;&lt;li&gt;&lt;b&gt;profile&lt;/b&gt;：检查时所按的编码类型（无匹配类型时为空）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;reasons&lt;/b&gt;：错误原因，每行一条（有效时为空）；有效编码也可能附带提示，如区划代码不在插件自带的 GB/T 2260 代码表中。&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;编码类型&lt;/h3&gt;&lt;ul&gt;</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="11" />
            <source>As labelled (no conversion)</source>
            <translation>按标注的坐标系（不转换）</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="12" />
            <source>As the input layer</source>
            <translation>与输入图层相同</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="15" />
            <source>GCJ-02 (AMap, Tencent)</source>
            <translation>GCJ-02（高德、腾讯）</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="16" />
            <source>BD-09 (Baidu)</source>
            <translation>BD-09（百度）</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="18" />
            <source>Detect automatically</source>
            <translation>自动识别</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="21" />
            <source>CSV (UTF-8 with BOM, opens in Excel)</source>
            <translation>CSV（带 BOM 的 UTF-8，可用 Excel 直接打开）</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="22" />
            <source>Excel workbook (XLSX)</source>
            <translation>Excel 工作簿（XLSX）</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="23" />
            <source>GeoJSON (RFC 7946, WGS84)</source>
            <translation>GeoJSON（RFC 7946，WGS84）</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="24" />
            <source>GBK (ArcGIS 10.x and older systems)</source>
            <translation>GBK（ArcGIS 10.x 及旧系统）</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="25" />
            <source>A WKT column</source>
            <translation>WKT 列</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="26" />
            <source>x and y columns</source>
            <translation>x、y 坐标列</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="28" />
            <source>Centroid</source>
            <translation>质心</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="29" />
            <source>A point surely inside</source>
            <translation>必在图形内部的点</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="31" />
            <source>Single map</source>
            <translation>单幅地图</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="32" />
            <source>Atlas (a page per division)</source>
            <translation>图集（每个行政区划一页）</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="33" />
            <source>Code cards with QR code</source>
            <translation>带二维码的编码卡</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="34" />
            <source>A4 portrait</source>
            <translation>A4 纵向</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="35" />
            <source>A4 landscape</source>
            <translation>A4 横向</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="36" />
            <source>A3 portrait</source>
            <translation>A3 纵向</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="37" />
            <source>A3 landscape</source>
            <translation>A3 横向</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="40" />
            <source>Decimal degrees</source>
            <translation>十进制度</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="41" />
            <source>Degrees.minutes (116.2030 = 116°20.30′)</source>
            <translation>度.分（116.2030 = 116°20.30′）</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="42" />
            <source>Packed degrees.minutes.seconds (116.2030 = 116°20′30″)</source>
            <translation>度.分秒连写（116.2030 = 116°20′30″）</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="44" />
            <source>The registry's version</source>
            <translation>编码库的版本</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="45" />
            <source>The field package's version</source>
            <translation>外业包的版本</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="46" />
            <source>Keep the stored value</source>
            <translation>保留已存的值</translation>
        </message>
        <message>
            <location filename="plugin/processing/option_labels.py" line="47" />
            <source>Replace it with the file's value</source>
            <translation>用文件中的值替换</translation>
        </message>
        <message>
            <location filename="plugin/processing/provider.py" line="33" />
            <source>CityCode — unified city codes (落图+赋码) and 三区三线 checks</source>
            <translation>城市码 — 统一编码（落图+赋码）与三区三线核查</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="45" />
            <source>Year field</source>
            <translation>年份字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="53" />
            <source>Unit field</source>
            <translation>单元字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="56" />
            <source>Division of a straddling building</source>
            <translation>跨界建筑物的归属区划</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="56" />
            <source>Largest area share</source>
            <translation>面积占比最大</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="56" />
            <source>Centroid (JGJ/T 246)</source>
            <translation>质心所在区划（JGJ/T 246）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="64" />
            <source>Code points and lines as point features (lines by their midpoint)</source>
            <translation>将点和线作为点要素赋码（线取其中点）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="67" />
            <source>Allow coding by geometry fingerprint when a shapefile's .dbf is missing</source>
            <translation>Shapefile 缺少 .dbf 时允许按几何指纹赋码</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="70" />
            <source>Building parts (OSM building:part, or by a parent field)</source>
            <translation>建筑部件（OSM building:part，或按父级字段）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="73" />
            <source>Parent building id of parts (empty = OSM building:part, found by location)</source>
            <translation>部件所属建筑的编号字段（空 = 按 OSM building:part，以位置查找）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="80" />
            <source>Output table when run inside PostGIS (schema.table)</source>
            <translation>在 PostGIS 内运行时的输出表（schema.table）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="85" />
            <source>Coded buildings</source>
            <translation>已赋码建筑物</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="84" />
            <source>Report</source>
            <translation>报告</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="85" />
            <source>New codes issued</source>
            <translation>新发编码数</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="85" />
            <source>Existing codes kept</source>
            <translation>沿用编码数</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="85" />
            <source>Buildings outside every division</source>
            <translation>位于所有行政区划之外的建筑物数</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="85" />
            <source>Buildings left without a code</source>
            <translation>未能赋码的建筑物数</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="92" />
            <source>Features by outcome (JSON)</source>
            <translation>各结果要素数（JSON）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="111" />
            <source>The buildings layer has no features: there is nothing to code. Nothing was changed.</source>
            <translation>建筑物图层没有要素：没有可赋码的对象。未做任何更改。</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="28" />
            <source>Name field</source>
            <translation>名称字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="31" />
            <source>Parent code field</source>
            <translation>上级代码字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="34" />
            <source>Adcode mapping (CSV)</source>
            <translation>adcode 对照表（CSV）</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="37" />
            <source>Checked divisions</source>
            <translation>区划代码核查结果</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="38" />
            <source>Rows without findings</source>
            <translation>无问题的行数</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="38" />
            <source>Rows that are not division codes</source>
            <translation>非区划代码的行数</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="38" />
            <source>Unknown codes</source>
            <translation>未知代码数</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="38" />
            <source>Former (outdated) codes</source>
            <translation>旧（已停用）代码数</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="38" />
            <source>Codes under the wrong parent</source>
            <translation>上级不符的代码数</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="38" />
            <source>Name mismatches</source>
            <translation>名称不符数</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="38" />
            <source>Map-vendor adcodes mapped to statistics codes</source>
            <translation>按对照表转为统计用区划代码的 adcode 数</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="59" />
            <source>Choose the code field</source>
            <translation>请选择编码字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="66" />
            <source>The adcode mapping {} cannot be read: {}</source>
            <translation>无法读取区划代码对照表 {}：{}</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="68" />
            <source>National division table: {} vintage (统计用区划代码, cut-off {}), {} divisions</source>
            <translation>全国区划代码表：{} 年版（统计用区划代码，截至 {}），共 {} 个区划</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="130" />
            <source>Field package</source>
            <translation>外业包</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="133" />
            <source>Target layer for the package's features (empty = the layer they were checked out from)</source>
            <translation>外业包要素的目标图层（留空 = 要素检出时的来源图层）</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="136" />
            <source>Package layer the target is for (empty = the package's only layer of features)</source>
            <translation>目标图层对应的外业包图层（留空 = 外业包中唯一的要素图层）</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="139" />
            <source>Updated codes</source>
            <translation>更新的编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="139" />
            <source>Retired codes</source>
            <translation>注销的编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="139" />
            <source>Conflicts</source>
            <translation>冲突</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="139" />
            <source>Already checked in</source>
            <translation>此前已检入</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="139" />
            <source>Features added to the target</source>
            <translation>添加到目标图层的要素</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="139" />
            <source>Features updated in the target</source>
            <translation>目标图层中更新的要素</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="151" />
            <source>Layer {} has unsaved edits: save or discard them before the check-in writes to it</source>
            <translation>图层 {} 有未保存的编辑：请先保存或放弃这些编辑，再由检入写入该图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="162" />
            <source>Field package {} not found</source>
            <translation>找不到外业包 {}</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="168" />
            <source>The package holds {} layers of features ({}); name the one the target layer is for</source>
            <translation>外业包中有 {} 个要素图层（{}）；请指定目标图层对应的是哪一个</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="181" />
            <source>Conflict {} kept for you to resolve</source>
            <translation>冲突 {} 已保留，待您解决</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="62" />
            <source>Features to take along (buildings, projects)</source>
            <translation>要带出的要素（建筑物、项目）</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="70" />
            <source>Area: division codes (separated by commas)</source>
            <translation>区域：区划代码（以逗号分隔）</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="72" />
            <source>Area: extent</source>
            <translation>区域：范围</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="77" />
            <source>Code profiles</source>
            <translation>编码方案</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="80" />
            <source>Years (separated by commas; empty = this year)</source>
            <translation>年份（以逗号分隔；留空 = 当年）</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="82" />
            <source>Block size (sequence numbers per division and year)</source>
            <translation>号段大小（每个区划每年的顺序号个数）</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="87" />
            <source>Package id</source>
            <translation>外业包编号</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="88" />
            <source>Reserved blocks</source>
            <translation>预留的号段数</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="89" />
            <source>Codes in the package</source>
            <translation>外业包中的编码数</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="96" />
            <source>A field package is a GeoPackage: choose a .gpkg file</source>
            <translation>外业包是 GeoPackage 文件：请选择 .gpkg 文件</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="110" />
            <source>Years are numbers separated by commas, e.g. 2024,2025</source>
            <translation>年份应为以逗号分隔的数字，如 2024,2025</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="120" />
            <source>Block {}-{} for division {} ({}, year {})</source>
            <translation>号段 {}-{}：区划 {}（{}，{} 年）</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="230" />
            <source>Engine</source>
            <translation>计算引擎</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="230" />
            <source>Auto</source>
            <translation>自动</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="230" />
            <source>Fast (shapely + pyogrio)</source>
            <translation>快速（shapely + pyogrio）</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="230" />
            <source>QGIS</source>
            <translation>QGIS</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="235" />
            <source>{}: coordinates really in (detected, as labelled, GCJ-02 of AMap/Tencent, BD-09 of Baidu)</source>
            <translation>{}：坐标实际所用坐标系（自动识别、按标注、高德/腾讯的 GCJ-02、百度的 BD-09）</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="254" />
            <source>Dataset namespace of the ids (empty = stored with the data, else its source)</source>
            <translation>标识的数据集命名空间（留空 = 取数据中保存的，否则取其数据源）</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="275" />
            <source>Code profile file (overrides the profile)</source>
            <translation>编码方案文件（优先于所选方案）</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="285" />
            <source>Code registry (empty = beside the output)</source>
            <translation>编码库（留空 = 与输出文件同目录）</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="285" />
            <source>Registry (*.sqlite *.gpkg)</source>
            <translation>编码库 (*.sqlite *.gpkg)</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="290" />
            <source>HTML report (*.html);;JSON report (*.json)</source>
            <translation>HTML 报告 (*.html);;JSON 报告 (*.json)</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="295" />
            <source>Text encoding</source>
            <translation>字符编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="314" />
            <source>The code profile file {} does not exist</source>
            <translation>编码方案文件 {} 不存在</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="318" />
            <source>The code profile file {} cannot be used: {}. Nothing was changed.</source>
            <translation>编码方案文件 {} 无法使用：{}。未做任何更改。</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="330" />
            <source>Choose where to save {}</source>
            <translation>请选择 {} 的保存位置</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="334" />
            <source>CityCode writes GeoPackage (.gpkg) or shapefile (.shp) files; choose a file path instead of {}</source>
            <translation>城市码只输出 GeoPackage（.gpkg）或 Shapefile（.shp）文件，请选择文件路径，而不是 {}</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="354" />
            <source>Canceled; nothing was changed.</source>
            <translation>已取消，未做任何更改。</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="388" />
            <source>The input has no field named '{}'</source>
            <translation>输入图层没有名为“{}”的字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="31" />
            <source>Points file (CSV, Excel, GeoJSON, GeoPackage, Shapefile)</source>
            <translation>点位文件（CSV、Excel、GeoJSON、GeoPackage、Shapefile）</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="31" />
            <source>Point files (*.csv *.txt *.dat *.ini *.xlsx *.geojson *.json *.gpkg *.shp);;All files (*)</source>
            <translation>点位文件 (*.csv *.txt *.dat *.ini *.xlsx *.geojson *.json *.gpkg *.shp);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="36" />
            <source>Or point layer</source>
            <translation>或点图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="42" />
            <source>Kind field</source>
            <translation>类型字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="46" />
            <source>Default kind ({})</source>
            <translation>默认类型（{}）</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="50" />
            <source>Identity field (empty = found by name, else coordinates)</source>
            <translation>标识字段（留空 = 按列名查找，找不到则按坐标）</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="52" />
            <source>Namespace of the ids (empty = the points' file or layer name; importing observations looks ids up under it)</source>
            <translation>标识的命名空间（留空 = 点位文件名或图层名；导入监测数据时在此命名空间下查找标识）</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="57" />
            <source>Rasters to sample</source>
            <translation>要取值的栅格</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="59" />
            <source>X / longitude column (empty = detected)</source>
            <translation>X / 经度列（留空 = 自动识别）</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="59" />
            <source>Y / latitude column (empty = detected)</source>
            <translation>Y / 纬度列（留空 = 自动识别）</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="62" />
            <source>Coordinate format</source>
            <translation>坐标格式</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="62" />
            <source>Datum of the coordinates</source>
            <translation>坐标基准</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="62" />
            <source>Text encoding of the file</source>
            <translation>文件的字符编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="75" />
            <source>Coded points</source>
            <translation>已赋码点位</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="75" />
            <source>Points outside every division</source>
            <translation>位于所有行政区划之外的点位数</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="75" />
            <source>Points left without a code</source>
            <translation>未能赋码的点位数</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="87" />
            <source>Give either a points file or a point layer</source>
            <translation>请指定点位文件或点图层（二选一）</translation>
        </message>
        <message>
            <location filename="plugin/processing/convert_datum.py" line="69" />
            <source>Input layer</source>
            <translation>输入图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/convert_datum.py" line="71" />
            <source>From datum</source>
            <translation>源坐标系</translation>
        </message>
        <message>
            <location filename="plugin/processing/convert_datum.py" line="72" />
            <source>To datum</source>
            <translation>目标坐标系</translation>
        </message>
        <message>
            <location filename="plugin/processing/convert_datum.py" line="73" />
            <source>Converted</source>
            <translation>转换结果</translation>
        </message>
        <message>
            <location filename="plugin/processing/convert_datum.py" line="94" />
            <source>The input has no CRS: its coordinates are taken as longitude/latitude.</source>
            <translation>输入图层没有坐标系：其坐标按经纬度处理。</translation>
        </message>
        <message>
            <location filename="plugin/processing/convert_datum.py" line="115" />
            <source>nothing</source>
            <translation>无</translation>
        </message>
        <message>
            <location filename="plugin/processing/convert_datum.py" line="117" />
            <source>Cannot tell which web-map datum {} is in (found: {}); choose the From datum</source>
            <translation>无法判断 {} 使用哪种网络地图坐标系（发现：{}）；请选择源坐标系</translation>
        </message>
        <message>
            <location filename="plugin/processing/convert_datum.py" line="120" />
            <source>{}: converting from {} ({})</source>
            <translation>{}：由 {} 转换（{}）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="44" />
            <source>Coded layer (buildings or projects)</source>
            <translation>已赋码图层（建筑物或项目）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="52" />
            <source>What to make (single map, atlas per division, code cards)</source>
            <translation>输出内容（单幅地图、分区图集、编码卡）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="54" />
            <source>Template</source>
            <translation>模板</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="55" />
            <source>Own layout template (.qpt), instead of the one above</source>
            <translation>自定义出图模板（.qpt），替代上方所选模板</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="58" />
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="59" />
            <source>Issuing unit (empty = from the settings)</source>
            <translation>出图单位（留空 = 取自设置）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="61" />
            <source>QR URL template, e.g. https://example.gov.cn/code/{code} (empty = from the settings)</source>
            <translation>二维码网址模板，如 https://example.gov.cn/code/{code}（留空 = 取自设置）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="64" />
            <source>Codes to make cards for</source>
            <translation>要制作编码卡的编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="66" />
            <source>Cards for the selected features only</source>
            <translation>仅为所选要素制作编码卡</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="68" />
            <source>Cards for the features of this division (its code)</source>
            <translation>仅为此行政区划的要素制作编码卡（填区划代码）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="70" />
            <source>Print them all, even more than {} cards</source>
            <translation>全部打印（即使超过 {} 张编码卡）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="75" />
            <source>Format</source>
            <translation>格式</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="76" />
            <source>Resolution (dpi)</source>
            <translation>分辨率（dpi）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="78" />
            <source>Output file</source>
            <translation>输出文件</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="78" />
            <source>PDF files (*.pdf);;PNG files (*.png)</source>
            <translation>PDF 文件 (*.pdf);;PNG 文件 (*.png)</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="80" />
            <source>Files written</source>
            <translation>已写出的文件</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="81" />
            <source>Pages</source>
            <translation>页数</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="114" />
            <source>No feature with a code is selected</source>
            <translation>未选择任何已赋码要素</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="129" />
            <source>{} page(s) to write</source>
            <translation>待输出 {} 页</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="131" />
            <source>Not every building could be labelled on the pages of {}: a table of their codes follows each of these pages</source>
            <translation>{} 的图页上未能注记全部建筑物：这些图页之后各附一张编码表</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="134" />
            <source>Written: {}</source>
            <translation>已写出：{}</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="29" />
            <source>Shapefile encoding</source>
            <translation>Shapefile 字符编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="30" />
            <source>Write '?' for characters GBK cannot hold</source>
            <translation>GBK 无法表示的字符写为“?”</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="32" />
            <source>Fields (empty = all)</source>
            <translation>字段（留空 = 全部）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="35" />
            <source>Datum (as_input: the layer's CRS; GeoJSON: WGS84)</source>
            <translation>坐标基准（as_input：图层的坐标系；GeoJSON：WGS84）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="38" />
            <source>Geometry in CSV / XLSX</source>
            <translation>CSV / XLSX 中的几何图形</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="40" />
            <source>x/y of lines and polygons</source>
            <translation>线、面要素的 x/y 取点方式</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="42" />
            <source>CSV for Excel: codes and other number-like text kept as text (="...")</source>
            <translation>CSV 供 Excel 使用：编码及其他形似数字的文本保持为文本（写为 ="..."）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="45" />
            <source>GeoPackage (*.gpkg);;Shapefile (*.shp);;CSV (*.csv);;Excel (*.xlsx);;GeoJSON (*.geojson)</source>
            <translation>GeoPackage (*.gpkg);;Shapefile (*.shp);;CSV (*.csv);;Excel (*.xlsx);;GeoJSON (*.geojson)</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="48" />
            <source>Features written</source>
            <translation>已写出的要素数</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="49" />
            <source>Changes reported</source>
            <translation>报告的变更数</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="50" />
            <source>What was changed</source>
            <translation>变更说明</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="51" />
            <source>Field name mapping (Shapefile)</source>
            <translation>字段名对照表（Shapefile）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="57" />
            <source>Choose where to save the export</source>
            <translation>请选择导出文件的保存位置</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="60" />
            <source>Writing {} (the extension of the format)</source>
            <translation>写出到 {}（已使用该格式的扩展名）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="74" />
            <source>{} features written to {} ({} fields{})</source>
            <translation>已将 {} 个要素写入 {}（{} 个字段{}）</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="217" />
            <source>Point codes (empty = every point)</source>
            <translation>点位编码（留空 = 全部点位）</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="219" />
            <source>Variables (empty = every variable)</source>
            <translation>监测指标（留空 = 全部指标）</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="223" />
            <source>Observations written</source>
            <translation>已导出的监测数据条数</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="234" />
            <source>No observations at {}</source>
            <translation>以下点位没有监测数据：{}</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="239" />
            <source>{} observations written to {}</source>
            <translation>已将 {} 条监测数据写入 {}</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="76" />
            <source>Observations file</source>
            <translation>监测数据文件</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="80" />
            <source>Namespace of the point ids (the coded points file's name; empty = codes only)</source>
            <translation>点位编号的命名空间（已赋码点位文件的名称；留空 = 仅接受编码）</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="83" />
            <source>When a stored value differs</source>
            <translation>与已存值不一致时</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="85" />
            <source>Thresholds (CSV)</source>
            <translation>限值（CSV）</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="88" />
            <source>Sheet (empty = the first)</source>
            <translation>工作表（留空 = 第一个）</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="90" />
            <source>Point column (code or id)</source>
            <translation>点位列（编码或编号）</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="90" />
            <source>Time column</source>
            <translation>时间列</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="90" />
            <source>Variable column</source>
            <translation>监测指标列</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="90" />
            <source>Value column</source>
            <translation>监测值列</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="90" />
            <source>Unit column</source>
            <translation>单位列</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="93" />
            <source>{} (empty = found by name)</source>
            <translation>{}（留空 = 按列名查找）</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="148" />
            <source>{} rows name no point code. If the file holds the ids of a coded points file, give its name as the namespace</source>
            <translation>有 {} 行没有点位编码。如果文件中是已赋码点位文件的编号，请将该文件的名称填为命名空间</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="150" />
            <source>Added {}, already stored {}, conflicts {}, unknown points {}, invalid {}, exceedances {}</source>
            <translation>新增 {}，已存在 {}，冲突 {}，未知点位 {}，无效 {}，超标 {}</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="157" />
            <source>Observations imported from {}</source>
            <translation>从 {} 导入的监测数据</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="175" />
            <source>{} thresholds set from {}</source>
            <translation>已设置 {} 个限值（来自 {}）</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="47" />
            <source>Points file</source>
            <translation>点位文件</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="49" />
            <source>Sheet or layer (empty = the first)</source>
            <translation>工作表或图层（留空 = 第一个）</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="51" />
            <source>Longitude / X column (empty = found by name or value)</source>
            <translation>经度 / X 列（留空 = 按列名或数值识别）</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="53" />
            <source>Latitude / Y column (empty = found by name or value)</source>
            <translation>纬度 / Y 列（留空 = 按列名或数值识别）</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="57" />
            <source>Id column (empty = found by name)</source>
            <translation>编号列（留空 = 按列名查找）</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="60" />
            <source>CRS of coordinates in metres (empty = from the values)</source>
            <translation>米制坐标的坐标系（留空 = 按数值推断）</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="62" />
            <source>Points</source>
            <translation>点位</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="64" />
            <source>Problems report</source>
            <translation>问题报告</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="66" />
            <source>Points imported</source>
            <translation>已导入点位数</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="117" />
            <source>Line {}: {} '{}': {}</source>
            <translation>第 {} 行：{}“{}”：{}</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="119" />
            <source>{} points imported, {} rows not imported</source>
            <translation>已导入 {} 个点位，{} 行未导入</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="122" />
            <source>Points not imported from {}</source>
            <translation>{} 中未导入的点位</translation>
        </message>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="30" />
            <source>Buildings with overlaps</source>
            <translation>叠加分析结果（建筑物）</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="46" />
            <source>Planning layers (三区三线 / 用地用海)</source>
            <translation>规划图层（三区三线 / 用地用海）</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="56" />
            <source>GeoPackage</source>
            <translation>GeoPackage</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="56" />
            <source>Folder (shapefiles, GeoPackages, GeoTIFFs)</source>
            <translation>文件夹（shapefile、GeoPackage、GeoTIFF）</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="56" />
            <source>PostGIS schema</source>
            <translation>PostGIS 模式</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="260" />
            <source>Recent sources…</source>
            <translation>最近使用的来源…</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="64" />
            <source>Path of a GeoPackage or a folder</source>
            <translation>GeoPackage 或文件夹的路径</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="65" />
            <source>Browse…</source>
            <translation>浏览…</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="89" />
            <source>Scan</source>
            <translation>扫描</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="98" />
            <source>Load</source>
            <translation>加载</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="98" />
            <source>Recognised as</source>
            <translation>识别为</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="98" />
            <source>Confidence</source>
            <translation>置信度</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="98" />
            <source>Why</source>
            <translation>依据</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="98" />
            <source>Source</source>
            <translation>来源</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="109" />
            <source>Choose a source and press Scan.</source>
            <translation>请选择来源并点击“扫描”。</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="112" />
            <source>Load into project</source>
            <translation>加载到项目</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="129" />
            <source>No PostGIS connection is stored in QGIS: add one in the Browser panel first.</source>
            <translation>QGIS 中没有保存的 PostGIS 连接：请先在浏览器面板中添加。</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="138" />
            <source>Cannot list the schemas of {}: {}</source>
            <translation>无法列出 {} 的模式：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="142" />
            <source>Folder with planning layers</source>
            <translation>含规划图层的文件夹</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="144" />
            <source>GeoPackage with planning layers</source>
            <translation>含规划图层的 GeoPackage</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="144" />
            <source>GeoPackage (*.gpkg);;All files (*)</source>
            <translation>GeoPackage (*.gpkg);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="175" />
            <source>Choose a source first.</source>
            <translation>请先选择来源。</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="178" />
            <source>Not found: {}</source>
            <translation>未找到：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="182" />
            <source>Reading the layers of {}…</source>
            <translation>正在读取 {} 中的图层…</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="184" />
            <source>CityCode: reading planning layers</source>
            <translation>城市码：正在读取规划图层</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="224" />
            <source>{} layers read, {} recognised as planning layers. Correct the kind where it is wrong, tick the layers to load.</source>
            <translation>已读取 {} 个图层，其中 {} 个识别为规划图层。请更正识别错误的类型，并勾选要加载的图层。</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="262" />
            <source>{} planning layers loaded into the group {}</source>
            <translation>已将 {} 个规划图层加载到图层组 {}</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="30" />
            <source>Input file (shapefile or other vector file)</source>
            <translation>输入文件（shapefile 或其他矢量文件）</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="30" />
            <source>Shapefiles (*.shp *.SHP);;dBase tables (*.dbf *.DBF);;All files (*.*)</source>
            <translation>Shapefile (*.shp *.SHP);;dBase 表 (*.dbf *.DBF);;所有文件 (*.*)</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="34" />
            <source>…or input layer</source>
            <translation>…或输入图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="36" />
            <source>Encoding</source>
            <translation>字符编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="37" />
            <source>Repaired layer</source>
            <translation>修复后图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="38" />
            <source>Encoding found</source>
            <translation>检测到的字符编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="39" />
            <source>How the encoding was found</source>
            <translation>字符编码的判断依据</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="40" />
            <source>Rows repaired</source>
            <translation>已修复行数</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="41" />
            <source>Rows with text garbled beyond repair</source>
            <translation>含无法修复乱码的行数</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="42" />
            <source>Rows with text lost for good</source>
            <translation>文本已彻底丢失的行数</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="50" />
            <source>Give either an input file or an input layer</source>
            <translation>请指定输入文件或输入图层（二选一）</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="67" />
            <source>Choose an output other than the input</source>
            <translation>请选择与输入不同的输出</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="70" />
            <source>The chosen encoding applies to shapefiles only; {} is read as its format says</source>
            <translation>所选字符编码仅适用于 shapefile；{} 按其格式规定的字符编码读取</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="73" />
            <source>{} is not a shapefile: its text is read as its format says (GeoPackage: UTF-8)</source>
            <translation>{} 不是 shapefile：其文本按格式规定的字符编码读取（GeoPackage 为 UTF-8）</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="89" />
            <source>Field name repaired: {} → {}</source>
            <translation>已修复字段名：{} → {}</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="121" />
            <source>Rows: {}; repaired: {}; garbled beyond repair: {}; with text lost for good: {} (left as they are)</source>
            <translation>行数：{}；已修复：{}；乱码无法修复：{}；文本已彻底丢失：{}（保持原样）</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="192" />
            <source>Conflict id</source>
            <translation>冲突编号</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="194" />
            <source>Keep</source>
            <translation>保留</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="202" />
            <source>Conflict {} resolved: kept the {} version</source>
            <translation>冲突 {} 已解决：保留了 {} 版本</translation>
        </message>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="47" />
            <source>Rasters</source>
            <translation>栅格</translation>
        </message>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="49" />
            <source>Bands (e.g. 1,3; empty = every band)</source>
            <translation>波段（如 1,3；留空 = 全部波段）</translation>
        </message>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="51" />
            <source>Sampled points</source>
            <translation>已取值点位</translation>
        </message>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="52" />
            <source>Values read</source>
            <translation>读取到的值数</translation>
        </message>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="53" />
            <source>Values missing</source>
            <translation>缺失的值数</translation>
        </message>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="61" />
            <source>Bands must be band numbers (1, 2 ...), not {}</source>
            <translation>波段必须为波段号（1、2 ……），而不是 {}</translation>
        </message>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="65" />
            <source>Choose at least one raster layer</source>
            <translation>请至少选择一个栅格图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="75" />
            <source>The points have no CRS; set it and run again</source>
            <translation>点图层没有坐标系；请设置后重新运行</translation>
        </message>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="116" />
            <source>{}: {} values, {} nodata, {} outside the raster, {} without a point</source>
            <translation>{}：有值 {} 个，无数据 {} 个，位于栅格之外 {} 个，无点几何 {} 个</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="29" />
            <source>Survey identity field (empty = geometry fingerprint)</source>
            <translation>调查标识字段（空 = 几何指纹）</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="32" />
            <source>Surveyed area (empty = the survey's convex hull)</source>
            <translation>调查范围（空 = 调查数据的凸包）</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="38" />
            <source>Tolerance (m): a shift up to this is unchanged</source>
            <translation>容差（米）：位移不超过此值视为未变化</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="45" />
            <source>Coded buildings (this year)</source>
            <translation>已赋码建筑物（本年）</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="47" />
            <source>Change report</source>
            <translation>变化报告</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="48" />
            <source>Change map</source>
            <translation>变化图</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="48" />
            <source>PDF (*.pdf);;PNG image (*.png)</source>
            <translation>PDF (*.pdf);;PNG 图像 (*.png)</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="51" />
            <source>Buildings per change (JSON)</source>
            <translation>各变化类别的建筑物数（JSON）</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="104" />
            <source>The update is done, but the change map failed: {}</source>
            <translation>更新已完成，但变化图生成失败：{}</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="105" />
            <source>Change map: {}</source>
            <translation>变化图：{}</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="37" />
            <source>Kind of code</source>
            <translation>编码类型</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="38" />
            <source>Validated codes</source>
            <translation>校验结果</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="39" />
            <source>Valid codes</source>
            <translation>有效编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="40" />
            <source>Invalid codes</source>
            <translation>无效编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="63" />
            <source>Valid: {}, invalid: {}</source>
            <translation>有效：{}，无效：{}</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="29" />
            <source>Shared registry (file, postgresql://…, service=… or qgis:&lt;connection&gt;; empty = the one in the CityCode settings)</source>
            <translation>共享编码库（文件、postgresql://…、service=… 或 qgis:&lt;connection&gt;；留空 = 城市码设置中的编码库）</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="39" />
            <source>The registry {} does not exist; choose the shared registry. Nothing was created.</source>
            <translation>编码库 {} 不存在；请选择共享编码库。未创建任何文件。</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="46" />
            <source>Code registry (empty = the one in the CityCode settings)</source>
            <translation>编码库（留空 = 城市码设置中的编码库）</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="58" />
            <source>Registry {} not found: code the monitoring points first</source>
            <translation>找不到编码库 {}：请先为监测点赋码</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="63" />
            <source>Observations are kept in a registry file (SQLite), not in {}</source>
            <translation>监测数据保存在编码库文件（SQLite）中，而不是 {}</translation>
        </message>
        <message>
            <location filename="plugin/processing/in_database.py" line="33" />
            <source>Inside the database, layers are taken in the datum they are labelled with: web-map datums are not detected there (choose a file output to have them detected)</source>
            <translation>在数据库内运行时，各图层按其标注的坐标系使用：不检测网络地图坐标系（如需检测，请选择文件作为输出）</translation>
        </message>
        <message>
            <location filename="plugin/processing/in_database.py" line="36" />
            <source>Inside the database, building parts are not recognised: they are coded as buildings (choose a file output to have them recognised)</source>
            <translation>在数据库内运行时，不识别建筑部件：它们按建筑赋码（如需识别，请选择文件作为输出）</translation>
        </message>
        <message>
            <location filename="plugin/processing/in_database.py" line="45" />
            <source>Running in QGIS, not inside the database: {}</source>
            <translation>在 QGIS 中运行，而不是在数据库内运行：{}</translation>
        </message>
    </context>
    <context>
        <name>AssignCodesAlgorithm</name>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="76" />
            <source>Buildings</source>
            <translation>建筑物</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="40" />
            <source>Divisions (township/street)</source>
            <translation>行政区划（乡镇/街道）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="43" />
            <source>Division code field</source>
            <translation>区划代码字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="45" />
            <source>Year field</source>
            <translation>年份字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="47" />
            <source>Default year</source>
            <translation>默认年份</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="50" />
            <source>Identity field (empty = geometry fingerprint)</source>
            <translation>标识字段（留空 = 使用几何指纹）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="53" />
            <source>Unit field</source>
            <translation>单元字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="56" />
            <source>Division of a straddling building</source>
            <translation>跨界建筑物的归属区划</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="56" />
            <source>Largest area share</source>
            <translation>面积占比最大</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="56" />
            <source>Centroid (JGJ/T 246)</source>
            <translation>质心所在区划（JGJ/T 246）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="59" />
            <source>Planning layers (三区三线)</source>
            <translation>规划图层（三区三线）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="64" />
            <source>Code points and lines as point features (lines by their midpoint)</source>
            <translation>将点和线作为点要素赋码（线取其中点）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="67" />
            <source>Allow coding by geometry fingerprint when a shapefile's .dbf is missing</source>
            <translation>Shapefile 缺少 .dbf 时允许按几何指纹赋码</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="70" />
            <source>Building parts (OSM building:part, or by a parent field)</source>
            <translation>建筑部件（OSM building:part，或按父级字段）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="73" />
            <source>Parent building id of parts (empty = OSM building:part, found by location)</source>
            <translation>部件所属建筑的编号字段（空 = 按 OSM building:part，以位置查找）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="77" />
            <source>Divisions</source>
            <translation>行政区划</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="78" />
            <source>Planning layers</source>
            <translation>规划图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="80" />
            <source>Output table when run inside PostGIS (schema.table)</source>
            <translation>在 PostGIS 内运行时的输出表（schema.table）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="85" />
            <source>Coded buildings</source>
            <translation>已赋码建筑物</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="84" />
            <source>Report</source>
            <translation>报告</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="85" />
            <source>New codes issued</source>
            <translation>新发编码数</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="85" />
            <source>Existing codes kept</source>
            <translation>沿用编码数</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="85" />
            <source>Straddling buildings</source>
            <translation>跨界建筑物</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="85" />
            <source>Buildings outside every division</source>
            <translation>位于所有行政区划之外的建筑物数</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="85" />
            <source>Buildings left without a code</source>
            <translation>未能赋码的建筑物数</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="92" />
            <source>Features by outcome (JSON)</source>
            <translation>各结果要素数（JSON）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="111" />
            <source>The buildings layer has no features: there is nothing to code. Nothing was changed.</source>
            <translation>建筑物图层没有要素：没有可赋码的对象。未做任何更改。</translation>
        </message>
    </context>
    <context>
        <name>CheckDivisionsAlgorithm</name>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="24" />
            <source>Division layer</source>
            <translation>行政区划图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="26" />
            <source>Code field</source>
            <translation>编码字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="28" />
            <source>Name field</source>
            <translation>名称字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="31" />
            <source>Parent code field</source>
            <translation>上级代码字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="34" />
            <source>Adcode mapping (CSV)</source>
            <translation>adcode 对照表（CSV）</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="37" />
            <source>Checked divisions</source>
            <translation>区划代码核查结果</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="38" />
            <source>Rows without findings</source>
            <translation>无问题的行数</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="38" />
            <source>Rows that are not division codes</source>
            <translation>非区划代码的行数</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="38" />
            <source>Unknown codes</source>
            <translation>未知代码数</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="38" />
            <source>Former (outdated) codes</source>
            <translation>旧（已停用）代码数</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="38" />
            <source>Codes under the wrong parent</source>
            <translation>上级不符的代码数</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="38" />
            <source>Name mismatches</source>
            <translation>名称不符数</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="38" />
            <source>Map-vendor adcodes mapped to statistics codes</source>
            <translation>按对照表转为统计用区划代码的 adcode 数</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="59" />
            <source>Choose the code field</source>
            <translation>请选择编码字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="66" />
            <source>The adcode mapping {} cannot be read: {}</source>
            <translation>无法读取区划代码对照表 {}：{}</translation>
        </message>
        <message>
            <location filename="plugin/processing/check_divisions.py" line="68" />
            <source>National division table: {} vintage (统计用区划代码, cut-off {}), {} divisions</source>
            <translation>全国区划代码表：{} 年版（统计用区划代码，截至 {}），共 {} 个区划</translation>
        </message>
    </context>
    <context>
        <name>CheckInAlgorithm</name>
        <message>
            <location filename="plugin/processing/field_package.py" line="130" />
            <source>Field package</source>
            <translation>外业包</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="133" />
            <source>Target layer for the package's features (empty = the layer they were checked out from)</source>
            <translation>外业包要素的目标图层（留空 = 要素检出时的来源图层）</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="136" />
            <source>Package layer the target is for (empty = the package's only layer of features)</source>
            <translation>目标图层对应的外业包图层（留空 = 外业包中唯一的要素图层）</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="139" />
            <source>New codes</source>
            <translation>新发编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="139" />
            <source>Updated codes</source>
            <translation>更新的编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="139" />
            <source>Retired codes</source>
            <translation>注销的编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="139" />
            <source>Conflicts</source>
            <translation>冲突</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="139" />
            <source>Already checked in</source>
            <translation>此前已检入</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="139" />
            <source>Features added to the target</source>
            <translation>添加到目标图层的要素</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="139" />
            <source>Features updated in the target</source>
            <translation>目标图层中更新的要素</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="151" />
            <source>Layer {} has unsaved edits: save or discard them before the check-in writes to it</source>
            <translation>图层 {} 有未保存的编辑：请先保存或放弃这些编辑，再由检入写入该图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="162" />
            <source>Field package {} not found</source>
            <translation>找不到外业包 {}</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="168" />
            <source>The package holds {} layers of features ({}); name the one the target layer is for</source>
            <translation>外业包中有 {} 个要素图层（{}）；请指定目标图层对应的是哪一个</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="181" />
            <source>Conflict {} kept for you to resolve</source>
            <translation>冲突 {} 已保留，待您解决</translation>
        </message>
    </context>
    <context>
        <name>CheckOutAlgorithm</name>
        <message>
            <location filename="plugin/processing/field_package.py" line="62" />
            <source>Features to take along (buildings, projects)</source>
            <translation>要带出的要素（建筑物、项目）</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="65" />
            <source>Divisions (township/street)</source>
            <translation>行政区划（乡镇/街道）</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="67" />
            <source>Division code field</source>
            <translation>区划代码字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="70" />
            <source>Area: division codes (separated by commas)</source>
            <translation>区域：区划代码（以逗号分隔）</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="72" />
            <source>Area: extent</source>
            <translation>区域：范围</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="73" />
            <source>Planning layers (三区三线)</source>
            <translation>规划图层（三区三线）</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="77" />
            <source>Code profiles</source>
            <translation>编码方案</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="80" />
            <source>Years (separated by commas; empty = this year)</source>
            <translation>年份（以逗号分隔；留空 = 当年）</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="82" />
            <source>Block size (sequence numbers per division and year)</source>
            <translation>号段大小（每个区划每年的顺序号个数）</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="85" />
            <source>Field package</source>
            <translation>外业包</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="85" />
            <source>GeoPackage (*.gpkg)</source>
            <translation>GeoPackage (*.gpkg)</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="87" />
            <source>Package id</source>
            <translation>外业包编号</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="88" />
            <source>Reserved blocks</source>
            <translation>预留的号段数</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="89" />
            <source>Codes in the package</source>
            <translation>外业包中的编码数</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="96" />
            <source>A field package is a GeoPackage: choose a .gpkg file</source>
            <translation>外业包是 GeoPackage 文件：请选择 .gpkg 文件</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="110" />
            <source>Years are numbers separated by commas, e.g. 2024,2025</source>
            <translation>年份应为以逗号分隔的数字，如 2024,2025</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="120" />
            <source>Block {}-{} for division {} ({}, year {})</source>
            <translation>号段 {}-{}：区划 {}（{}，{} 年）</translation>
        </message>
    </context>
    <context>
        <name>CityCodeAlgorithm</name>
        <message>
            <location filename="plugin/processing/base.py" line="230" />
            <source>Engine</source>
            <translation>计算引擎</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="230" />
            <source>Auto</source>
            <translation>自动</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="230" />
            <source>Fast (shapely + pyogrio)</source>
            <translation>快速（shapely + pyogrio）</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="230" />
            <source>QGIS</source>
            <translation>QGIS</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="235" />
            <source>{}: coordinates really in (detected, as labelled, GCJ-02 of AMap/Tencent, BD-09 of Baidu)</source>
            <translation>{}：坐标实际所用坐标系（自动识别、按标注、高德/腾讯的 GCJ-02、百度的 BD-09）</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="254" />
            <source>Dataset namespace of the ids (empty = stored with the data, else its source)</source>
            <translation>标识的数据集命名空间（留空 = 取数据中保存的，否则取其数据源）</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="272" />
            <source>Code profile</source>
            <translation>编码方案</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="275" />
            <source>Code profile file (overrides the profile)</source>
            <translation>编码方案文件（优先于所选方案）</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="285" />
            <source>Code registry (empty = beside the output)</source>
            <translation>编码库（留空 = 与输出文件同目录）</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="285" />
            <source>Registry (*.sqlite *.gpkg)</source>
            <translation>编码库 (*.sqlite *.gpkg)</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="290" />
            <source>HTML report (*.html);;JSON report (*.json)</source>
            <translation>HTML 报告 (*.html);;JSON 报告 (*.json)</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="295" />
            <source>Text encoding</source>
            <translation>字符编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="314" />
            <source>The code profile file {} does not exist</source>
            <translation>编码方案文件 {} 不存在</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="318" />
            <source>The code profile file {} cannot be used: {}. Nothing was changed.</source>
            <translation>编码方案文件 {} 无法使用：{}。未做任何更改。</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="330" />
            <source>Choose where to save {}</source>
            <translation>请选择 {} 的保存位置</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="334" />
            <source>CityCode writes GeoPackage (.gpkg) or shapefile (.shp) files; choose a file path instead of {}</source>
            <translation>城市码只输出 GeoPackage（.gpkg）或 Shapefile（.shp）文件，请选择文件路径，而不是 {}</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="354" />
            <source>Canceled; nothing was changed.</source>
            <translation>已取消，未做任何更改。</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="388" />
            <source>The input has no field named '{}'</source>
            <translation>输入图层没有名为“{}”的字段</translation>
        </message>
    </context>
    <context>
        <name>CodePointsAlgorithm</name>
        <message>
            <location filename="plugin/processing/code_points.py" line="31" />
            <source>Points file (CSV, Excel, GeoJSON, GeoPackage, Shapefile)</source>
            <translation>点位文件（CSV、Excel、GeoJSON、GeoPackage、Shapefile）</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="31" />
            <source>Point files (*.csv *.txt *.dat *.ini *.xlsx *.geojson *.json *.gpkg *.shp);;All files (*)</source>
            <translation>点位文件 (*.csv *.txt *.dat *.ini *.xlsx *.geojson *.json *.gpkg *.shp);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="36" />
            <source>Or point layer</source>
            <translation>或点图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="38" />
            <source>Divisions (township/street)</source>
            <translation>行政区划（乡镇/街道）</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="40" />
            <source>Division code field</source>
            <translation>区划代码字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="42" />
            <source>Kind field</source>
            <translation>类型字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="46" />
            <source>Default kind ({})</source>
            <translation>默认类型（{}）</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="50" />
            <source>Identity field (empty = found by name, else coordinates)</source>
            <translation>标识字段（留空 = 按列名查找，找不到则按坐标）</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="52" />
            <source>Namespace of the ids (empty = the points' file or layer name; importing observations looks ids up under it)</source>
            <translation>标识的命名空间（留空 = 点位文件名或图层名；导入监测数据时在此命名空间下查找标识）</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="70" />
            <source>Planning layers</source>
            <translation>规划图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="57" />
            <source>Rasters to sample</source>
            <translation>要取值的栅格</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="59" />
            <source>X / longitude column (empty = detected)</source>
            <translation>X / 经度列（留空 = 自动识别）</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="59" />
            <source>Y / latitude column (empty = detected)</source>
            <translation>Y / 纬度列（留空 = 自动识别）</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="62" />
            <source>Coordinate format</source>
            <translation>坐标格式</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="62" />
            <source>Datum of the coordinates</source>
            <translation>坐标基准</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="62" />
            <source>Text encoding of the file</source>
            <translation>文件的字符编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="69" />
            <source>Divisions</source>
            <translation>行政区划</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="75" />
            <source>Coded points</source>
            <translation>已赋码点位</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="74" />
            <source>Report</source>
            <translation>报告</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="75" />
            <source>New codes issued</source>
            <translation>新发编码数</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="75" />
            <source>Existing codes kept</source>
            <translation>沿用编码数</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="75" />
            <source>Rows not imported</source>
            <translation>未导入的行</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="75" />
            <source>Points outside every division</source>
            <translation>位于所有行政区划之外的点位数</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="75" />
            <source>Points left without a code</source>
            <translation>未能赋码的点位数</translation>
        </message>
        <message>
            <location filename="plugin/processing/code_points.py" line="87" />
            <source>Give either a points file or a point layer</source>
            <translation>请指定点位文件或点图层（二选一）</translation>
        </message>
    </context>
    <context>
        <name>ConvertDatumAlgorithm</name>
        <message>
            <location filename="plugin/processing/convert_datum.py" line="69" />
            <source>Input layer</source>
            <translation>输入图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/convert_datum.py" line="71" />
            <source>From datum</source>
            <translation>源坐标系</translation>
        </message>
        <message>
            <location filename="plugin/processing/convert_datum.py" line="72" />
            <source>To datum</source>
            <translation>目标坐标系</translation>
        </message>
        <message>
            <location filename="plugin/processing/convert_datum.py" line="73" />
            <source>Converted</source>
            <translation>转换结果</translation>
        </message>
        <message>
            <location filename="plugin/processing/convert_datum.py" line="94" />
            <source>The input has no CRS: its coordinates are taken as longitude/latitude.</source>
            <translation>输入图层没有坐标系：其坐标按经纬度处理。</translation>
        </message>
        <message>
            <location filename="plugin/processing/convert_datum.py" line="115" />
            <source>nothing</source>
            <translation>无</translation>
        </message>
        <message>
            <location filename="plugin/processing/convert_datum.py" line="117" />
            <source>Cannot tell which web-map datum {} is in (found: {}); choose the From datum</source>
            <translation>无法判断 {} 使用哪种网络地图坐标系（发现：{}）；请选择源坐标系</translation>
        </message>
        <message>
            <location filename="plugin/processing/convert_datum.py" line="120" />
            <source>{}: converting from {} ({})</source>
            <translation>{}：由 {} 转换（{}）</translation>
        </message>
    </context>
    <context>
        <name>ExportCodedMapAlgorithm</name>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="44" />
            <source>Coded layer (buildings or projects)</source>
            <translation>已赋码图层（建筑物或项目）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="46" />
            <source>Division layer</source>
            <translation>行政区划图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="48" />
            <source>Division code field</source>
            <translation>区划代码字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="50" />
            <source>Planning layers</source>
            <translation>规划图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="52" />
            <source>What to make (single map, atlas per division, code cards)</source>
            <translation>输出内容（单幅地图、分区图集、编码卡）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="54" />
            <source>Template</source>
            <translation>模板</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="55" />
            <source>Own layout template (.qpt), instead of the one above</source>
            <translation>自定义出图模板（.qpt），替代上方所选模板</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="58" />
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="59" />
            <source>Issuing unit (empty = from the settings)</source>
            <translation>出图单位（留空 = 取自设置）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="61" />
            <source>QR URL template, e.g. https://example.gov.cn/code/{code} (empty = from the settings)</source>
            <translation>二维码网址模板，如 https://example.gov.cn/code/{code}（留空 = 取自设置）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="64" />
            <source>Codes to make cards for</source>
            <translation>要制作编码卡的编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="66" />
            <source>Cards for the selected features only</source>
            <translation>仅为所选要素制作编码卡</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="68" />
            <source>Cards for the features of this division (its code)</source>
            <translation>仅为此行政区划的要素制作编码卡（填区划代码）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="70" />
            <source>Print them all, even more than {} cards</source>
            <translation>全部打印（即使超过 {} 张编码卡）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="73" />
            <source>Code field</source>
            <translation>编码字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="75" />
            <source>Format</source>
            <translation>格式</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="76" />
            <source>Resolution (dpi)</source>
            <translation>分辨率（dpi）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="78" />
            <source>Output file</source>
            <translation>输出文件</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="78" />
            <source>PDF files (*.pdf);;PNG files (*.png)</source>
            <translation>PDF 文件 (*.pdf);;PNG 文件 (*.png)</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="80" />
            <source>Files written</source>
            <translation>已写出的文件</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="81" />
            <source>Pages</source>
            <translation>页数</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="114" />
            <source>No feature with a code is selected</source>
            <translation>未选择任何已赋码要素</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="129" />
            <source>{} page(s) to write</source>
            <translation>待输出 {} 页</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="131" />
            <source>Not every building could be labelled on the pages of {}: a table of their codes follows each of these pages</source>
            <translation>{} 的图页上未能注记全部建筑物：这些图页之后各附一张编码表</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_coded_map.py" line="134" />
            <source>Written: {}</source>
            <translation>已写出：{}</translation>
        </message>
    </context>
    <context>
        <name>ExportCodesAlgorithm</name>
        <message>
            <location filename="plugin/processing/export_codes.py" line="26" />
            <source>Input layer</source>
            <translation>输入图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="28" />
            <source>Format</source>
            <translation>格式</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="29" />
            <source>Shapefile encoding</source>
            <translation>Shapefile 字符编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="30" />
            <source>Write '?' for characters GBK cannot hold</source>
            <translation>GBK 无法表示的字符写为“?”</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="32" />
            <source>Fields (empty = all)</source>
            <translation>字段（留空 = 全部）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="35" />
            <source>Datum (as_input: the layer's CRS; GeoJSON: WGS84)</source>
            <translation>坐标基准（as_input：图层的坐标系；GeoJSON：WGS84）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="38" />
            <source>Geometry in CSV / XLSX</source>
            <translation>CSV / XLSX 中的几何图形</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="40" />
            <source>x/y of lines and polygons</source>
            <translation>线、面要素的 x/y 取点方式</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="42" />
            <source>CSV for Excel: codes and other number-like text kept as text (="...")</source>
            <translation>CSV 供 Excel 使用：编码及其他形似数字的文本保持为文本（写为 ="..."）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="45" />
            <source>Output file</source>
            <translation>输出文件</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="45" />
            <source>GeoPackage (*.gpkg);;Shapefile (*.shp);;CSV (*.csv);;Excel (*.xlsx);;GeoJSON (*.geojson)</source>
            <translation>GeoPackage (*.gpkg);;Shapefile (*.shp);;CSV (*.csv);;Excel (*.xlsx);;GeoJSON (*.geojson)</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="48" />
            <source>Features written</source>
            <translation>已写出的要素数</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="49" />
            <source>Changes reported</source>
            <translation>报告的变更数</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="50" />
            <source>What was changed</source>
            <translation>变更说明</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="51" />
            <source>Field name mapping (Shapefile)</source>
            <translation>字段名对照表（Shapefile）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="57" />
            <source>Choose where to save the export</source>
            <translation>请选择导出文件的保存位置</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="60" />
            <source>Writing {} (the extension of the format)</source>
            <translation>写出到 {}（已使用该格式的扩展名）</translation>
        </message>
        <message>
            <location filename="plugin/processing/export_codes.py" line="74" />
            <source>{} features written to {} ({} fields{})</source>
            <translation>已将 {} 个要素写入 {}（{} 个字段{}）</translation>
        </message>
    </context>
    <context>
        <name>ExportObservationsAlgorithm</name>
        <message>
            <location filename="plugin/processing/observations.py" line="217" />
            <source>Point codes (empty = every point)</source>
            <translation>点位编码（留空 = 全部点位）</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="219" />
            <source>Variables (empty = every variable)</source>
            <translation>监测指标（留空 = 全部指标）</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="221" />
            <source>Output file</source>
            <translation>输出文件</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="223" />
            <source>Observations written</source>
            <translation>已导出的监测数据条数</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="234" />
            <source>No observations at {}</source>
            <translation>以下点位没有监测数据：{}</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="239" />
            <source>{} observations written to {}</source>
            <translation>已将 {} 条监测数据写入 {}</translation>
        </message>
    </context>
    <context>
        <name>ImportObservationsAlgorithm</name>
        <message>
            <location filename="plugin/processing/observations.py" line="76" />
            <source>Observations file</source>
            <translation>监测数据文件</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="80" />
            <source>Namespace of the point ids (the coded points file's name; empty = codes only)</source>
            <translation>点位编号的命名空间（已赋码点位文件的名称；留空 = 仅接受编码）</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="83" />
            <source>When a stored value differs</source>
            <translation>与已存值不一致时</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="85" />
            <source>Thresholds (CSV)</source>
            <translation>限值（CSV）</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="88" />
            <source>Sheet (empty = the first)</source>
            <translation>工作表（留空 = 第一个）</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="90" />
            <source>Point column (code or id)</source>
            <translation>点位列（编码或编号）</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="90" />
            <source>Time column</source>
            <translation>时间列</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="90" />
            <source>Variable column</source>
            <translation>监测指标列</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="90" />
            <source>Value column</source>
            <translation>监测值列</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="90" />
            <source>Unit column</source>
            <translation>单位列</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="93" />
            <source>{} (empty = found by name)</source>
            <translation>{}（留空 = 按列名查找）</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="96" />
            <source>Report</source>
            <translation>报告</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="100" />
            <source>Exceedances</source>
            <translation>超标数据</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="100" />
            <source>Observations added</source>
            <translation>新增监测数据</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="100" />
            <source>Observations already stored</source>
            <translation>已存在的监测数据</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="100" />
            <source>Conflicts with stored values</source>
            <translation>与已存值冲突</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="100" />
            <source>Rows of unknown points</source>
            <translation>点位未知的行</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="100" />
            <source>Unreadable or repeated rows</source>
            <translation>无法读取或重复的行</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="136" />
            <source>Line {}: {}</source>
            <translation>第 {} 行：{}</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="148" />
            <source>{} rows name no point code. If the file holds the ids of a coded points file, give its name as the namespace</source>
            <translation>有 {} 行没有点位编码。如果文件中是已赋码点位文件的编号，请将该文件的名称填为命名空间</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="150" />
            <source>Added {}, already stored {}, conflicts {}, unknown points {}, invalid {}, exceedances {}</source>
            <translation>新增 {}，已存在 {}，冲突 {}，未知点位 {}，无效 {}，超标 {}</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="157" />
            <source>Observations imported from {}</source>
            <translation>从 {} 导入的监测数据</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="172" />
            <source>Cannot read {}: {}</source>
            <translation>无法读取 {}：{}</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="175" />
            <source>{} thresholds set from {}</source>
            <translation>已设置 {} 个限值（来自 {}）</translation>
        </message>
    </context>
    <context>
        <name>ImportPointsAlgorithm</name>
        <message>
            <location filename="plugin/processing/import_points.py" line="47" />
            <source>Points file</source>
            <translation>点位文件</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="49" />
            <source>Sheet or layer (empty = the first)</source>
            <translation>工作表或图层（留空 = 第一个）</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="51" />
            <source>Longitude / X column (empty = found by name or value)</source>
            <translation>经度 / X 列（留空 = 按列名或数值识别）</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="53" />
            <source>Latitude / Y column (empty = found by name or value)</source>
            <translation>纬度 / Y 列（留空 = 按列名或数值识别）</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="55" />
            <source>Coordinate format</source>
            <translation>坐标格式</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="56" />
            <source>Datum of the coordinates</source>
            <translation>坐标基准</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="57" />
            <source>Id column (empty = found by name)</source>
            <translation>编号列（留空 = 按列名查找）</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="60" />
            <source>CRS of coordinates in metres (empty = from the values)</source>
            <translation>米制坐标的坐标系（留空 = 按数值推断）</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="62" />
            <source>Points</source>
            <translation>点位</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="64" />
            <source>Problems report</source>
            <translation>问题报告</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="66" />
            <source>Points imported</source>
            <translation>已导入点位数</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="67" />
            <source>Rows not imported</source>
            <translation>未导入的行</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="117" />
            <source>Line {}: {} '{}': {}</source>
            <translation>第 {} 行：{}“{}”：{}</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="119" />
            <source>{} points imported, {} rows not imported</source>
            <translation>已导入 {} 个点位，{} 行未导入</translation>
        </message>
        <message>
            <location filename="plugin/processing/import_points.py" line="122" />
            <source>Points not imported from {}</source>
            <translation>{} 中未导入的点位</translation>
        </message>
    </context>
    <context>
        <name>OverlayCheckAlgorithm</name>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="25" />
            <source>Buildings</source>
            <translation>建筑物</translation>
        </message>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="22" />
            <source>Planning layers (三区三线)</source>
            <translation>规划图层（三区三线）</translation>
        </message>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="26" />
            <source>Planning layers</source>
            <translation>规划图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="28" />
            <source>Output table when run inside PostGIS (schema.table)</source>
            <translation>在 PostGIS 内运行时的输出表（schema.table）</translation>
        </message>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="30" />
            <source>Buildings with overlaps</source>
            <translation>叠加分析结果（建筑物）</translation>
        </message>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="32" />
            <source>Report</source>
            <translation>报告</translation>
        </message>
    </context>
    <context>
        <name>PlanningDialog</name>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="46" />
            <source>Planning layers (三区三线 / 用地用海)</source>
            <translation>规划图层（三区三线 / 用地用海）</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="56" />
            <source>GeoPackage</source>
            <translation>GeoPackage</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="56" />
            <source>Folder (shapefiles, GeoPackages, GeoTIFFs)</source>
            <translation>文件夹（shapefile、GeoPackage、GeoTIFF）</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="56" />
            <source>PostGIS schema</source>
            <translation>PostGIS 模式</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="260" />
            <source>Recent sources…</source>
            <translation>最近使用的来源…</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="64" />
            <source>Path of a GeoPackage or a folder</source>
            <translation>GeoPackage 或文件夹的路径</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="65" />
            <source>Browse…</source>
            <translation>浏览…</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="79" />
            <source>Connection</source>
            <translation>连接</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="81" />
            <source>Schema</source>
            <translation>模式</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="89" />
            <source>Scan</source>
            <translation>扫描</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="98" />
            <source>Load</source>
            <translation>加载</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="98" />
            <source>Layer</source>
            <translation>图层</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="98" />
            <source>Recognised as</source>
            <translation>识别为</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="98" />
            <source>Confidence</source>
            <translation>置信度</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="98" />
            <source>Why</source>
            <translation>依据</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="98" />
            <source>Source</source>
            <translation>来源</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="109" />
            <source>Choose a source and press Scan.</source>
            <translation>请选择来源并点击“扫描”。</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="112" />
            <source>Load into project</source>
            <translation>加载到项目</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="129" />
            <source>No PostGIS connection is stored in QGIS: add one in the Browser panel first.</source>
            <translation>QGIS 中没有保存的 PostGIS 连接：请先在浏览器面板中添加。</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="138" />
            <source>Cannot list the schemas of {}: {}</source>
            <translation>无法列出 {} 的模式：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="142" />
            <source>Folder with planning layers</source>
            <translation>含规划图层的文件夹</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="144" />
            <source>GeoPackage with planning layers</source>
            <translation>含规划图层的 GeoPackage</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="144" />
            <source>GeoPackage (*.gpkg);;All files (*)</source>
            <translation>GeoPackage (*.gpkg);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="175" />
            <source>Choose a source first.</source>
            <translation>请先选择来源。</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="178" />
            <source>Not found: {}</source>
            <translation>未找到：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="182" />
            <source>Reading the layers of {}…</source>
            <translation>正在读取 {} 中的图层…</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="184" />
            <source>CityCode: reading planning layers</source>
            <translation>城市码：正在读取规划图层</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="196" />
            <source>Cannot read {}: {}</source>
            <translation>无法读取 {}：{}</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="224" />
            <source>{} layers read, {} recognised as planning layers. Correct the kind where it is wrong, tick the layers to load.</source>
            <translation>已读取 {} 个图层，其中 {} 个识别为规划图层。请更正识别错误的类型，并勾选要加载的图层。</translation>
        </message>
        <message>
            <location filename="plugin/gui/planning_dialog.py" line="262" />
            <source>{} planning layers loaded into the group {}</source>
            <translation>已将 {} 个规划图层加载到图层组 {}</translation>
        </message>
    </context>
    <context>
        <name>RepairTextAlgorithm</name>
        <message>
            <location filename="plugin/processing/repair_text.py" line="30" />
            <source>Input file (shapefile or other vector file)</source>
            <translation>输入文件（shapefile 或其他矢量文件）</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="30" />
            <source>Shapefiles (*.shp *.SHP);;dBase tables (*.dbf *.DBF);;All files (*.*)</source>
            <translation>Shapefile (*.shp *.SHP);;dBase 表 (*.dbf *.DBF);;所有文件 (*.*)</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="34" />
            <source>…or input layer</source>
            <translation>…或输入图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="36" />
            <source>Encoding</source>
            <translation>字符编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="37" />
            <source>Repaired layer</source>
            <translation>修复后图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="38" />
            <source>Encoding found</source>
            <translation>检测到的字符编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="39" />
            <source>How the encoding was found</source>
            <translation>字符编码的判断依据</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="40" />
            <source>Rows repaired</source>
            <translation>已修复行数</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="41" />
            <source>Rows with text garbled beyond repair</source>
            <translation>含无法修复乱码的行数</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="42" />
            <source>Rows with text lost for good</source>
            <translation>文本已彻底丢失的行数</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="50" />
            <source>Give either an input file or an input layer</source>
            <translation>请指定输入文件或输入图层（二选一）</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="67" />
            <source>Choose an output other than the input</source>
            <translation>请选择与输入不同的输出</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="70" />
            <source>The chosen encoding applies to shapefiles only; {} is read as its format says</source>
            <translation>所选字符编码仅适用于 shapefile；{} 按其格式规定的字符编码读取</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="73" />
            <source>{} is not a shapefile: its text is read as its format says (GeoPackage: UTF-8)</source>
            <translation>{} 不是 shapefile：其文本按格式规定的字符编码读取（GeoPackage 为 UTF-8）</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="89" />
            <source>Field name repaired: {} → {}</source>
            <translation>已修复字段名：{} → {}</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="118" />
            <source>Field {} is named {} in the shapefile (at most 10 bytes)</source>
            <translation>字段 {} 在 shapefile 中名为 {}（字段名最多 10 字节）</translation>
        </message>
        <message>
            <location filename="plugin/processing/repair_text.py" line="121" />
            <source>Rows: {}; repaired: {}; garbled beyond repair: {}; with text lost for good: {} (left as they are)</source>
            <translation>行数：{}；已修复：{}；乱码无法修复：{}；文本已彻底丢失：{}（保持原样）</translation>
        </message>
    </context>
    <context>
        <name>ResolveConflictAlgorithm</name>
        <message>
            <location filename="plugin/processing/field_package.py" line="192" />
            <source>Conflict id</source>
            <translation>冲突编号</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="194" />
            <source>Keep</source>
            <translation>保留</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="202" />
            <source>Conflict {} resolved: kept the {} version</source>
            <translation>冲突 {} 已解决：保留了 {} 版本</translation>
        </message>
    </context>
    <context>
        <name>SampleRastersAlgorithm</name>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="45" />
            <source>Points</source>
            <translation>点位</translation>
        </message>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="47" />
            <source>Rasters</source>
            <translation>栅格</translation>
        </message>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="49" />
            <source>Bands (e.g. 1,3; empty = every band)</source>
            <translation>波段（如 1,3；留空 = 全部波段）</translation>
        </message>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="51" />
            <source>Sampled points</source>
            <translation>已取值点位</translation>
        </message>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="52" />
            <source>Values read</source>
            <translation>读取到的值数</translation>
        </message>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="53" />
            <source>Values missing</source>
            <translation>缺失的值数</translation>
        </message>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="61" />
            <source>Bands must be band numbers (1, 2 ...), not {}</source>
            <translation>波段必须为波段号（1、2 ……），而不是 {}</translation>
        </message>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="65" />
            <source>Choose at least one raster layer</source>
            <translation>请至少选择一个栅格图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="75" />
            <source>The points have no CRS; set it and run again</source>
            <translation>点图层没有坐标系；请设置后重新运行</translation>
        </message>
        <message>
            <location filename="plugin/processing/sample_rasters.py" line="116" />
            <source>{}: {} values, {} nodata, {} outside the raster, {} without a point</source>
            <translation>{}：有值 {} 个，无数据 {} 个，位于栅格之外 {} 个，无点几何 {} 个</translation>
        </message>
    </context>
    <context>
        <name>UpdateVintageAlgorithm</name>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="25" />
            <source>Coded buildings (last year)</source>
            <translation>已赋码建筑物（上一年）</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="26" />
            <source>Code field</source>
            <translation>编码字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="28" />
            <source>New survey</source>
            <translation>新调查</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="29" />
            <source>Survey identity field (empty = geometry fingerprint)</source>
            <translation>调查标识字段（空 = 几何指纹）</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="32" />
            <source>Surveyed area (empty = the survey's convex hull)</source>
            <translation>调查范围（空 = 调查数据的凸包）</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="34" />
            <source>Divisions (township/street)</source>
            <translation>行政区划（乡镇/街道）</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="36" />
            <source>Division code field</source>
            <translation>区划代码字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="38" />
            <source>Tolerance (m): a shift up to this is unchanged</source>
            <translation>容差（米）：位移不超过此值视为未变化</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="41" />
            <source>Survey year</source>
            <translation>调查年份</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="45" />
            <source>Coded buildings (this year)</source>
            <translation>已赋码建筑物（本年）</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="47" />
            <source>Change report</source>
            <translation>变化报告</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="48" />
            <source>Change map</source>
            <translation>变化图</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="48" />
            <source>PDF (*.pdf);;PNG image (*.png)</source>
            <translation>PDF (*.pdf);;PNG 图像 (*.png)</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="51" />
            <source>Buildings per change (JSON)</source>
            <translation>各变化类别的建筑物数（JSON）</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="104" />
            <source>The update is done, but the change map failed: {}</source>
            <translation>更新已完成，但变化图生成失败：{}</translation>
        </message>
        <message>
            <location filename="plugin/processing/update_vintage.py" line="105" />
            <source>Change map: {}</source>
            <translation>变化图：{}</translation>
        </message>
    </context>
    <context>
        <name>ValidateCodesAlgorithm</name>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="32" />
            <source>Input layer</source>
            <translation>输入图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="34" />
            <source>Code field</source>
            <translation>编码字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="37" />
            <source>Kind of code</source>
            <translation>编码类型</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="38" />
            <source>Validated codes</source>
            <translation>校验结果</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="39" />
            <source>Valid codes</source>
            <translation>有效编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="40" />
            <source>Invalid codes</source>
            <translation>无效编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="63" />
            <source>Valid: {}, invalid: {}</source>
            <translation>有效：{}，无效：{}</translation>
        </message>
    </context>
    <context>
        <name>_FieldPackageAlgorithm</name>
        <message>
            <location filename="plugin/processing/field_package.py" line="29" />
            <source>Shared registry (file, postgresql://…, service=… or qgis:&lt;connection&gt;; empty = the one in the CityCode settings)</source>
            <translation>共享编码库（文件、postgresql://…、service=… 或 qgis:&lt;connection&gt;；留空 = 城市码设置中的编码库）</translation>
        </message>
        <message>
            <location filename="plugin/processing/field_package.py" line="39" />
            <source>The registry {} does not exist; choose the shared registry. Nothing was created.</source>
            <translation>编码库 {} 不存在；请选择共享编码库。未创建任何文件。</translation>
        </message>
    </context>
    <context>
        <name>_RegistryMixin</name>
        <message>
            <location filename="plugin/processing/observations.py" line="46" />
            <source>Code registry (empty = the one in the CityCode settings)</source>
            <translation>编码库（留空 = 城市码设置中的编码库）</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="58" />
            <source>Registry {} not found: code the monitoring points first</source>
            <translation>找不到编码库 {}：请先为监测点赋码</translation>
        </message>
        <message>
            <location filename="plugin/processing/observations.py" line="63" />
            <source>Observations are kept in a registry file (SQLite), not in {}</source>
            <translation>监测数据保存在编码库文件（SQLite）中，而不是 {}</translation>
        </message>
    </context>
    <context>
        <name>alg</name>
        <message>
            <location filename="plugin/processing/in_database.py" line="33" />
            <source>Inside the database, layers are taken in the datum they are labelled with: web-map datums are not detected there (choose a file output to have them detected)</source>
            <translation>在数据库内运行时，各图层按其标注的坐标系使用：不检测网络地图坐标系（如需检测，请选择文件作为输出）</translation>
        </message>
        <message>
            <location filename="plugin/processing/in_database.py" line="36" />
            <source>Inside the database, building parts are not recognised: they are coded as buildings (choose a file output to have them recognised)</source>
            <translation>在数据库内运行时，不识别建筑部件：它们按建筑赋码（如需识别，请选择文件作为输出）</translation>
        </message>
        <message>
            <location filename="plugin/processing/in_database.py" line="45" />
            <source>Running in QGIS, not inside the database: {}</source>
            <translation>在 QGIS 中运行，而不是在数据库内运行：{}</translation>
        </message>
    </context>
</TS>
